import { CliCommand } from '../cli-command';
import { databaseCommands } from './database.commands';
import { demoCommands } from './demo.commands';
import { stixCommands } from './stix.commands';

/** Every operator command, in the order --help lists them. */
export const ALL_COMMANDS: CliCommand[] = [...databaseCommands, ...demoCommands, ...stixCommands];

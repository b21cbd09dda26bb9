import { CliCommand } from '../cli-command';
import { authCommands } from './auth.commands';
import { databaseCommands } from './database.commands';
import { demoCommands } from './demo.commands';
import { tenancyCommands } from './tenancy.commands';
import { stixCommands } from './stix.commands';
import { lookupCommands } from './lookup.commands';
import { intelCommands } from './intel.commands';
import { auditCommands } from './audit.commands';
import { screenCommands } from './screen.command';

/** Every operator command, in the order --help lists them. */
export const ALL_COMMANDS: CliCommand[] = [
  ...databaseCommands,
  ...demoCommands,
  ...tenancyCommands,
  ...stixCommands,
  ...intelCommands,
  ...lookupCommands,
  ...screenCommands,
  ...authCommands,
  ...auditCommands,
];

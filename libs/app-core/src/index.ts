// Public surface of @cairn/app-core: the wiring the API and the CLI share (one data source, the core providers).
export { CoreModule, type CoreInput } from './core.module';
export { DataSourceModule, type DataSourceModuleInput } from './data-source.module';
export { ENTITIES } from './entities';

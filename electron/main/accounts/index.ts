export { AccountsService, matchesQuery, toSummary, type AddManyResult, type AddOptions, type SortOrder } from './accounts-service';

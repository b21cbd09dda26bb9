export { WatchlistModule, WatchlistServicesModule } from './watchlist.module';
export { WatchlistService, type WatchRequest, type WatchResult, type WatchEntry, type WatchHit } from './watchlist.service';
export { WebhookService, privateAddress, signWebhook, webhookUrlProblem, type Webhook, type WebhookDelivery } from './webhook.service';
export { WatchMatcher } from './watch-matcher.service';
export { WatchHub } from './watch-hub.service';
export { WatchlistError, WatchlistErrorCode, WATCHLIST_ERROR_STATUS } from './watchlist.errors';

/**
 * The API's shapes, as the services' OpenAPI documents (src/api/openapi, checked in) describe them: every type here
 * is an alias of a generated one (src/api/generated, `npm run api:generate`), none a copy.
 */
import type { components as OrdersApi } from './generated/orders';
import type { components as PaymentsApi } from './generated/payments';

type OrdersSchemas = OrdersApi['schemas'];
type PaymentsSchemas = PaymentsApi['schemas'];

/** An order as the orders API sends it. */
export type Order = OrdersSchemas['OrderResponse'];

export type OrderStatus = Order['status'];

/** The `data` of the order stream's events, by event name (`order`, `snapshot`). */
export type OrderStreamEvents = OrdersSchemas['OrderStreamEvents'];

/** An order as an `order` event of the stream carries it (the same members as {@link Order}). */
export type StreamedOrder = OrderStreamEvents['order'];

export type OrdersPage = OrdersSchemas['KeysetPageOfOrderResponse'];

export type Account = PaymentsSchemas['AccountResponse'];

/** The tokens of a session: the bearer token (hours) and the refresh token that renews it (once). */
export type SessionTokens = PaymentsSchemas['RefreshSessionResponse'];

export type CreatedAccount = PaymentsSchemas['CreateAccountResponse'];

export type TopUp = PaymentsSchemas['TopUpAccountRequest'];

export type RefreshSession = PaymentsSchemas['RefreshSessionRequest'];

/** RFC 9457 problem details, as the API answers errors; a 400 adds `errors`, a field map. */
export type Problem = OrdersSchemas['HttpValidationProblemDetails'];

namespace Shop.Modules.Payments;

internal sealed record AccountResponse(Guid UserId, decimal Balance, string Currency, DateTimeOffset UpdatedAt);

using FastEndpoints;
using FluentValidation;
using Shop.Shared.Web.Idempotency;

namespace Shop.Modules.Payments.TopUpAccount;

internal sealed class Request
{
    [RouteParam]
    public Guid UserId { get; init; }

    /// <summary>0 &lt; amount ≤ 1,000,000, at most 2 decimals.</summary>
    public decimal? Amount { get; init; }

    [FromHeader(IdempotencyKeys.Header, isRequired: false)]
    public string? IdempotencyKey { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Amount)
                .NotNull().WithMessage("amount is required.")
                .GreaterThan(0m).WithMessage("amount must be greater than 0.")
                .LessThanOrEqualTo(Money.MaxTopUp).WithMessage("amount may be at most 1000000.")
                .Must(a => a is null || Money.HasAtMostTwoDecimals(a.Value)).WithMessage("amount may have at most 2 decimals.");
            RuleFor(r => r.IdempotencyKey).ValidIdempotencyKey();
        }
    }
}

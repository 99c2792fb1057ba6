namespace Shop.Modules.Payments;

internal static class Money
{
    public const string Currency = "USD";
    public const decimal MaxTopUp = 1_000_000m;

    public static bool HasAtMostTwoDecimals(decimal amount) => decimal.Round(amount, 2) == amount;
}

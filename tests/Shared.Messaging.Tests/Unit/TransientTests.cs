using Npgsql;
using Shop.Shared.Messaging.Internal;

namespace Shop.Shared.Messaging.Tests.Unit;

public sealed class TransientTests
{
    [Theory]
    [InlineData("40001", true)]
    [InlineData("40P01", true)]
    [InlineData("55P03", true)]
    [InlineData("53300", true)]
    [InlineData("57P01", true)]
    [InlineData("57P03", true)]
    [InlineData("08006", true)]
    [InlineData("23505", false)]
    [InlineData("42P01", false)]
    [InlineData("22012", false)]
    public void Given_a_PostgreSQL_error_When_classified_Then_only_outages_and_lost_races_are_transient(string sqlState, bool transient)
    {
        Transient.IsTransient(new PostgresException("m", "ERROR", "ERROR", sqlState)).ShouldBe(transient);
    }

    [Fact]
    public void Given_other_errors_When_classified_Then_timeouts_and_wrapped_outages_are_transient_and_bugs_are_not()
    {
        Transient.IsTransient(new TimeoutException()).ShouldBeTrue();
        Transient.IsTransient(new InvalidOperationException("wrapped", new PostgresException("m", "ERROR", "ERROR", "40001"))).ShouldBeTrue();
        Transient.IsTransient(new InvalidOperationException("bug")).ShouldBeFalse();
        Transient.IsTransient(new FormatException()).ShouldBeFalse();
    }
}

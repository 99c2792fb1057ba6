using Npgsql;
using Shop.Shared.Hosting.Database;

namespace Shop.Host.Tests.Configuration;

public sealed class Prepared_statements
{
    [Fact]
    public void A_connection_string_without_the_setting_gets_automatic_preparation_and_keeps_everything_else()
    {
        // Act
        var result = new NpgsqlConnectionStringBuilder(PreparedStatements.ByDefault("Host=db;Database=orders;Username=orders;Maximum Pool Size=25"));

        // Assert
        result.MaxAutoPrepare.ShouldBe(PreparedStatements.DefaultMaxAutoPrepare);
        (result.Host, result.Database, result.Username, result.MaxPoolSize).ShouldBe(("db", "orders", "orders", 25));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=10", 10)]
    [InlineData("Host=db;max auto prepare=200", 200)]
    public void A_connection_string_that_sets_it_keeps_its_own_value_even_zero(string connectionString, int expected)
    {
        // Act
        var result = new NpgsqlConnectionStringBuilder(PreparedStatements.ByDefault(connectionString));

        // Assert
        result.MaxAutoPrepare.ShouldBe(expected);
    }
}

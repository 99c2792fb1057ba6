using Npgsql;
using Shop.Shared.Hosting.Database;

namespace Shop.Host.Tests.Configuration;

public sealed class Pooled_connections
{
    [Fact]
    public void A_connection_string_without_the_settings_gets_automatic_preparation_and_no_reset_and_keeps_everything_else()
    {
        // Act
        var result = new NpgsqlConnectionStringBuilder(PooledConnections.WithDefaults("Host=db;Database=orders;Username=orders;Maximum Pool Size=25"));

        // Assert
        result.MaxAutoPrepare.ShouldBe(PooledConnections.DefaultMaxAutoPrepare);
        result.NoResetOnClose.ShouldBeTrue();
        (result.Host, result.Database, result.Username, result.MaxPoolSize).ShouldBe(("db", "orders", "orders", 25));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=10", 10)]
    [InlineData("Host=db;max auto prepare=200", 200)]
    public void A_connection_string_that_sets_automatic_preparation_keeps_its_own_value_even_zero(string connectionString, int expected)
    {
        // Act
        var result = new NpgsqlConnectionStringBuilder(PooledConnections.WithDefaults(connectionString));

        // Assert
        result.MaxAutoPrepare.ShouldBe(expected);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;NoResetOnClose=false")]
    public void A_connection_string_that_asks_for_the_reset_keeps_it(string connectionString)
    {
        // Act
        var result = new NpgsqlConnectionStringBuilder(PooledConnections.WithDefaults(connectionString));

        // Assert
        result.NoResetOnClose.ShouldBeFalse();
    }
}

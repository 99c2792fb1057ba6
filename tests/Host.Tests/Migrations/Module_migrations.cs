using Shop.Testing;
using Shop.Testing.Hosting;
using Shop.Modules.Orders;
using Shop.Modules.Payments;
using Shop.Shared.Hosting.Migrations;

namespace Shop.Host.Tests.Migrations;

public sealed class Module_migrations
{
    [Theory]
    [InlineData("orders", "orders")]
    [InlineData("payments", "payments")]
    public async Task Given_a_fresh_database_When_the_role_starts_Then_its_schema_is_created(string roleName, string table)
    {
        // Arrange
        var role = ModuleRole.Named(roleName);
        await using var database = await ScratchDatabase.CreateAsync(role.Name);
        await using var host = new ShopHostFactory(role.Name, new Dictionary<string, string?> { [role.ConnectionStringKey] = database.ConnectionString });

        // Act
        using var client = host.CreateClient();

        // Assert
        var exists = await Eventually.GetAsync(
            () => database.ScalarAsync<bool>($"select to_regclass('public.{table}') is not null"),
            found => found, TimeSpan.FromSeconds(30), $"table {table} created");
        exists.ShouldBeTrue();
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public async Task Given_two_replicas_migrating_at_once_When_both_finish_Then_every_script_ran_exactly_once(string roleName)
    {
        // Arrange
        var assembly = roleName == "orders" ? typeof(OrdersModule).Assembly : typeof(PaymentsModule).Assembly;
        await using var database = await ScratchDatabase.CreateAsync(roleName);
        var cancellation = TestContext.Current.CancellationToken;

        // Act
        var runs = await Task.WhenAll(
            DatabaseMigrator.MigrateAsync(database.ConnectionString, assembly, cancellation),
            DatabaseMigrator.MigrateAsync(database.ConnectionString, assembly, cancellation));
        var again = await DatabaseMigrator.MigrateAsync(database.ConnectionString, assembly, cancellation);

        // Assert
        var applied = runs.SelectMany(r => r).ToList();
        applied.ShouldNotBeEmpty();
        applied.ShouldBeUnique();
        runs.Count(r => r.Count == 0).ShouldBe(1);
        again.ShouldBeEmpty();
        (await database.ScalarAsync<long>("select count(*) from schemaversions")).ShouldBe(applied.Count);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Testing;
using Shop.Testing.Hosting;

namespace Shop.Modules.Payments.Tests.Accounts;

public sealed class Database_outage
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_while_the_database_does_not_answer_gets_503_with_retry_after_and_no_database_detail()
    {
        // Arrange
        await using var factory = new ShopHostFactory(ModuleRole.Payments.Name, new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] =
                $"Host=127.0.0.1;Port={TestServers.ClosedPort};Database=payments;Username=payments;Password=unused;Timeout=2",
        });
        using var client = factory.CreateClient();

        // Act
        using var response = await client.PostAsync("/payments-api/accounts", null, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        var body = await response.Content.ReadAsStringAsync(ct);
        body.ShouldContain("urn:shop:problem:unavailable");
        body.ShouldNotContain("127.0.0.1");
        body.ShouldNotContain("Npgsql");
    }

    [Fact]
    public async Task A_request_while_every_database_connection_is_taken_gets_503_with_retry_after()
    {
        // Arrange
        await using var first = await ModuleHost.StartAsync(ModuleRole.Payments);
        await using var replica = await ModuleHost.StartReplicaAsync(first, new Dictionary<string, string?>
        {
            [ModuleRole.Payments.ConnectionStringKey] = $"{first.Database.ConnectionString};Maximum Pool Size=4;Timeout=1",
        });
        var pool = replica.Factory.Services.GetRequiredKeyedService<NpgsqlDataSource>(ModuleRole.Payments.Name);
        var taken = new List<NpgsqlConnection>();
        await using var release = new AsyncDisposables(taken);
        while (await TryOpenAsync(pool) is { } connection)
        {
            taken.Add(connection); // until the pool is empty: the outbox listener holds one, the test the rest
        }

        // Act
        using var response = await replica.Client.PostAsync("/payments-api/accounts", null, ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        (await response.Content.ReadAsStringAsync(ct)).ShouldContain("urn:shop:problem:unavailable");
        taken.ShouldNotBeEmpty();
        (await first.Database.ScalarAsync<long>("select count(*) from accounts")).ShouldBe(0);
    }

    private async Task<NpgsqlConnection?> TryOpenAsync(NpgsqlDataSource pool)
    {
        try
        {
            return await pool.OpenConnectionAsync(ct);
        }
        catch (NpgsqlException ex) when (ex.InnerException is TimeoutException)
        {
            return null;
        }
    }

    private sealed class AsyncDisposables(List<NpgsqlConnection> connections) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}

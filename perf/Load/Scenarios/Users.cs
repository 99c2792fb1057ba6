using Shop.Load.Engine;

namespace Shop.Load.Scenarios;

/// <summary>Creates users through the API before a run, a bounded number at a time.</summary>
internal static class Users
{
    public static async Task<User[]> CreateAsync(ShopClient client, int count, Func<User, CancellationToken, Task> prepare, SetupProgress progress, CancellationToken ct)
    {
        progress.Begin("creating users", count);
        var users = new User[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, token) =>
        {
            users[i] = await client.CreateAccountAsync(token);
            await prepare(users[i], token);
            progress.Advance();
        });
        return users;
    }
}

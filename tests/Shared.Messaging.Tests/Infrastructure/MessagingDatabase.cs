namespace Shop.Shared.Messaging.Tests.Infrastructure;

/// <summary>
/// A database of its own per test class, owned by a login role of its own like a module's database:
/// created, given the messaging schema and the effects table, dropped afterwards.
/// </summary>
public sealed class MessagingDatabase : IAsyncLifetime
{
    // A table of the tests' own, standing in for a module's business writes.
    private const string EffectsSql = """
        create table effects (
            id         bigserial primary key,
            event_id   uuid not null,
            key        text not null,
            seq        int  not null,
            trace_id   text,
            created_at timestamptz not null default clock_timestamp());
        """;

    public ScratchDatabase Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await ScratchDatabase.CreateWithOwnRoleAsync("msg");
        foreach (var script in MessagingScripts())
        {
            await Database.ExecuteAsync(script);
        }

        await Database.ExecuteAsync(EffectsSql);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    private static IEnumerable<string> MessagingScripts()
    {
        var assembly = MessagingSchema.Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(MessagingSchema.IsScript).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return reader.ReadToEnd();
        }
    }
}

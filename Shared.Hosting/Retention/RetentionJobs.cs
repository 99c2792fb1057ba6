namespace Shop.Shared.Hosting.Retention;

/// <summary>The tables of one module's database that are cleaned after a retention, by that module's replicas.</summary>
public sealed class RetentionJobs
{
    private readonly List<RetentionJob> jobs = [];

    internal IReadOnlyList<RetentionJob> All => jobs;

    /// <summary>Cleans <paramref name="table"/> with <paramref name="deleteSql"/>, run as <see cref="Shop.Shared.Messaging.Maintenance.ExpiredRows"/> describes.</summary>
    /// <param name="retention">Read at every run, from the module's options.</param>
    public RetentionJobs Add(string table, string deleteSql, Func<IServiceProvider, TimeSpan> retention)
    {
        jobs.Add(new RetentionJob(table, deleteSql, retention));
        return this;
    }
}

internal sealed record RetentionJob(string Table, string DeleteSql, Func<IServiceProvider, TimeSpan> Retention);

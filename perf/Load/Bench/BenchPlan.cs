namespace Shop.Load.Bench;

/// <summary>
/// How long a bench run should take, before it starts: the settling, every fixed-rate run, and the sweeps' steps up to
/// the rate where the loosest bar is expected to fail (a guess, from the last figures: Shop about 325/s, the peer 500/s),
/// and the stream run, whose users are created at about 300 a second.
/// </summary>
internal sealed record BenchPlan(int Targets, bool WithPeer, int Rounds, int Rates, double Start, double Step, int SettleSeconds, int WarmupSeconds,
    int FixedSeconds, int StepSeconds, int StreamConnections = 0, int StreamSeconds = 0)
{
    private const double UsersPerSecond = 300;
    // A run's report, the wait for its last iterations and the next run's start take a few seconds more than its load.
    private const int PerRunSeconds = 3;
    private const double ShopFailsAt = 325, PeerFailsAt = 500;

    /// <summary>Steps of one round's sweep of a target whose loosest bar first fails at <paramref name="failsAt"/>.</summary>
    public int Steps(double failsAt) => (int)Math.Max(0, Math.Ceiling((failsAt - Start) / Step)) + 1;

    public TimeSpan Estimate()
    {
        var fixedRuns = Rounds * Rates * Targets * (WarmupSeconds + FixedSeconds + PerRunSeconds);
        var shops = Targets - (WithPeer ? 1 : 0);
        var steps = (shops * Steps(ShopFailsAt)) + (WithPeer ? Steps(PeerFailsAt) : 0);
        var sweeps = Rounds * steps * (WarmupSeconds + StepSeconds + PerRunSeconds);
        var stream = StreamConnections > 0 ? (StreamConnections / UsersPerSecond) + WarmupSeconds + StreamSeconds + PerRunSeconds : 0;
        return TimeSpan.FromSeconds((Targets * SettleSeconds) + fixedRuns + sweeps + stream);
    }
}

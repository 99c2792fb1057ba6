namespace Shop.Fault.Tests;

public sealed class Failed_requests
{
    [Fact]
    public void A_failure_during_a_fault_or_its_grace_is_explained_and_one_long_after_is_not()
    {
        // Arrange
        var start = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2);
        var path = Path.GetTempFileName();
        File.WriteAllText(path, $"{start.ToUnixTimeSeconds()}\t{start.AddSeconds(30).ToUnixTimeSeconds()}\tpause_replica orders 15\n");
        var incidents = new Incidents();
        incidents.Record("503 POST /orders-api/orders"); // now: 90 s after the fault ended, far past the grace

        // Act
        var windows = Incidents.ReadWindows(path);
        var outside = incidents.Outside(windows);
        var insideOnly = incidents.Outside([new FaultWindow(start, DateTimeOffset.UtcNow - Incidents.Grace / 2, "kafka")]);

        // Assert
        windows.ShouldHaveSingleItem().Label.ShouldBe("pause_replica orders 15");
        outside.ShouldHaveSingleItem().What.ShouldBe("503 POST /orders-api/orders");
        insideOnly.ShouldBeEmpty("it came within the grace after a fault");
        File.Delete(path);
    }
}

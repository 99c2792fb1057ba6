using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Shared.Messaging;
using Shop.Testing.Hosting;

namespace Shop.Host.Tests.Configuration;

public sealed class Messaging_settings
{
    [Fact]
    public async Task Settings_under_Messaging_reach_the_outbox_and_inbox_options_of_every_module_in_the_process()
    {
        // Arrange
        Dictionary<string, string?> settings = new()
        {
            ["Messaging:Outbox:CoalesceWindow"] = "00:00:00.007",
            ["Messaging:Inbox:BatchSize"] = "42",
        };

        // Act
        await using var host = await ModuleHost.StartAsync(ModuleRole.Payments, settings);
        var options = host.Factory.Services.GetRequiredService<IOptionsMonitor<MessagingOptions>>().Get("payments");

        // Assert
        options.Outbox.CoalesceWindow.ShouldBe(TimeSpan.FromMilliseconds(7));
        options.Inbox.BatchSize.ShouldBe(42);
        options.Source.ShouldBe("urn:shop:payments", "what the host sets stays unless configured");
    }
}

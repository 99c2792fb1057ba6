using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Shared.Messaging.Tests.Infrastructure;

namespace Shop.Shared.Messaging.Tests.Unit;

public sealed class RegistrationTests
{
    [Fact]
    public void Given_the_host_and_the_module_both_register_When_built_Then_there_is_one_relay_one_cleanup_and_one_consumer_per_subscription()
    {
        var services = new ServiceCollection();

        var host = services.AddMessaging("orders", o => o.Outbox.BatchSize = 123);
        var module = services.AddMessaging("orders", o => o.Inbox.MaxAttempts = 9)
            .Subscribe("payments-events", s => s.On<TestEventData, RecordingHandler>("payment.completed"));

        module.ShouldBeSameAs(host);
        services.Count(d => d.ServiceType == typeof(IHostedService)).ShouldBe(3);
        var options = services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<MessagingOptions>>().Get("orders");
        options.Outbox.BatchSize.ShouldBe(123);
        options.Inbox.MaxAttempts.ShouldBe(9);
    }

    [Fact]
    public void Given_two_handlers_for_one_type_When_registered_Then_it_is_refused()
    {
        var services = new ServiceCollection();

        Should.Throw<InvalidOperationException>(() => services.AddMessaging("orders").Subscribe("t", s => s
            .On<TestEventData, RecordingHandler>("x")
            .On<TestEventData, RecordingHandler>("x")));
    }

    [Fact]
    public void Given_a_topic_subscribed_twice_When_registered_Then_it_is_refused()
    {
        var services = new ServiceCollection();
        var builder = services.AddMessaging("orders").Subscribe("t", s => s.On<TestEventData, RecordingHandler>("x"));

        Should.Throw<InvalidOperationException>(() => builder.Subscribe("t", s => s.On<TestEventData, RecordingHandler>("y")));
    }

    [Fact]
    public void Given_invalid_options_When_they_are_read_Then_validation_fails()
    {
        var services = new ServiceCollection();
        services.AddMessaging("orders", o => o.Retry.InitialDelay = TimeSpan.FromMinutes(5));

        Should.Throw<OptionsValidationException>(() =>
            services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<MessagingOptions>>().Get("orders"));
    }
}

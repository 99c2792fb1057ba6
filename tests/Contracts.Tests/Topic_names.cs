using Orders = Shop.Modules.Orders;
using Payments = Shop.Modules.Payments;

namespace Shop.Contracts.Tests;

/// <summary>Each module names the topic it publishes on and keeps its own record of the one it reads: the two agree.</summary>
public sealed class Topic_names
{
    [Fact]
    public void The_topic_payments_reads_by_default_is_the_one_orders_publishes_on() =>
        new Payments.PaymentsTopics().OrdersEvents.ShouldBe(new Orders.OrdersTopics().OrdersEvents);

    [Fact]
    public void The_topic_orders_reads_by_default_is_the_one_payments_publishes_on() =>
        new Orders.OrdersTopics().PaymentsEvents.ShouldBe(new Payments.PaymentsTopics().PaymentsEvents);

    [Fact]
    public void Both_modules_read_their_topics_from_the_same_settings() =>
        Orders.OrdersTopics.SectionName.ShouldBe(Payments.PaymentsTopics.SectionName);
}

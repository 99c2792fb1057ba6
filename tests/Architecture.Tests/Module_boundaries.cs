using System.Reflection;
using NetArchTest.Rules;
using Shop.Modules.Orders;
using Shop.Modules.Payments;
using Shop.Shared.Hosting;
using Shop.Shared.Messaging;
using Shop.Shared.Web.Endpoints;

namespace Shop.Architecture.Tests;

public sealed class Module_boundaries
{
    private static readonly Assembly Orders = typeof(OrdersModule).Assembly;
    private static readonly Assembly Payments = typeof(PaymentsModule).Assembly;
    private static readonly Assembly Hosting = typeof(ModuleDefinition).Assembly;
    private static readonly Assembly Messaging = typeof(MessagingSchema).Assembly;
    private static readonly Assembly Web = typeof(Problems).Assembly;

    [Fact]
    public void Orders_does_not_depend_on_payments() =>
        Types.InAssembly(Orders).ShouldNot().HaveDependencyOn("Shop.Modules.Payments").GetResult().ShouldPass();

    [Fact]
    public void Payments_does_not_depend_on_orders() =>
        Types.InAssembly(Payments).ShouldNot().HaveDependencyOn("Shop.Modules.Orders").GetResult().ShouldPass();

    [Fact]
    public void Modules_do_not_reference_each_others_assemblies()
    {
        Orders.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain(Payments.GetName().Name);
        Payments.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain(Orders.GetName().Name);
    }

    [Fact]
    public void Shared_messaging_knows_nothing_of_modules_hosting_or_aspnetcore() =>
        Types.InAssembly(Messaging).ShouldNot()
            .HaveDependencyOnAny("Shop.Modules", "Shop.Shared.Hosting", "Shop.Shared.Web", "Shop.Host", "Microsoft.AspNetCore")
            .GetResult().ShouldPass();

    [Fact]
    public void Shared_web_the_endpoint_plumbing_knows_nothing_of_modules_the_host_wiring_or_messaging() =>
        Types.InAssembly(Web).ShouldNot()
            .HaveDependencyOnAny("Shop.Modules", "Shop.Shared.Hosting", "Shop.Shared.Messaging", "Shop.Host")
            .GetResult().ShouldPass();

    [Fact]
    public void Shared_hosting_knows_nothing_of_modules() =>
        Types.InAssembly(Hosting).ShouldNot().HaveDependencyOnAny("Shop.Modules", "Shop.Host").GetResult().ShouldPass();

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public void A_modules_only_public_type_is_its_registration_class(string module)
    {
        var (assembly, registration) = module == "orders" ? (Orders, typeof(OrdersModule)) : (Payments, typeof(PaymentsModule));
        assembly.GetExportedTypes().ShouldBe([registration]);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    [InlineData("hosting")]
    [InlineData("messaging")]
    [InlineData("web")]
    public void Concrete_classes_are_sealed_or_static(string project)
    {
        var assembly = project switch { "orders" => Orders, "payments" => Payments, "hosting" => Hosting, "web" => Web, _ => Messaging };
        var open = assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsSealed && !IsCompilerGenerated(t))
            .Select(t => t.FullName)
            .ToList();
        open.ShouldBeEmpty();
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false)
        || type.FullName!.Contains('<', StringComparison.Ordinal);
}

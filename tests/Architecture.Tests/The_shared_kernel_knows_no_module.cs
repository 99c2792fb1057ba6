using System.Reflection;
using Shop.Shared.Hosting;
using Shop.Shared.Messaging;
using Shop.Shared.Web.Endpoints;

namespace Shop.Architecture.Tests;

/// <summary>The shared assemblies serve any module: no type, reference or string of theirs names one, or what it owns.</summary>
public sealed class The_shared_kernel_knows_no_module
{
    public static TheoryData<string> Kernel => [.. ModuleWords.Kernel.Select(a => a.GetName().Name!)];

    [Fact]
    public void The_kernel_is_every_shared_assembly_and_the_modules_every_module_assembly()
    {
        ModuleWords.Kernel.ShouldContain(typeof(ModuleDefinition).Assembly);
        ModuleWords.Kernel.ShouldContain(typeof(MessagingSchema).Assembly);
        ModuleWords.Kernel.ShouldContain(typeof(Problems).Assembly);
        ModuleWords.Modules.Select(a => a.GetName().Name).ShouldBe(["Shop.Modules.Orders", "Shop.Modules.Payments"]);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("orders-api")]
    [InlineData("orders-events")]
    [InlineData("order_changes")]
    [InlineData("payments")]
    [InlineData("payments-api")]
    [InlineData("payments-events")]
    [InlineData("accounts")]
    [InlineData("ledger")]
    public void The_words_come_from_the_modules_names_prefixes_topics_and_tables(string word) =>
        ModuleWords.All.ShouldContain(word);

    [Fact]
    public void A_module_assembly_names_itself_so_the_strings_read_are_the_ones_that_would_tell() =>
        ModuleWords.Modules.ShouldAllBe(m => AssemblyStrings.Of(m).Any(s => ModuleWords.Names(s, "orders") || ModuleWords.Names(s, "payments")));

    [Theory]
    [MemberData(nameof(Kernel))]
    public void A_shared_assembly_references_no_module_assembly(string kernel) =>
        Load(kernel).GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain(n => n!.StartsWith("Shop.Modules.", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Kernel))]
    public void A_shared_assembly_holds_no_string_naming_a_module_or_what_it_owns(string kernel)
    {
        var naming = AssemblyStrings.Of(Load(kernel))
            .SelectMany(s => ModuleWords.All.Where(w => ModuleWords.Names(s, w)).Select(w => $"{w}: \"{s}\""))
            .Distinct()
            .ToList();

        naming.ShouldBeEmpty();
    }

    private static Assembly Load(string name) => ModuleWords.Kernel.Single(a => a.GetName().Name == name);
}

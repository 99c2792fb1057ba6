using NetArchTest.Rules;
using Shop.Testing;

namespace Shop.Architecture.Tests;

public sealed class Test_libraries
{
    [Fact]
    public void The_base_test_library_knows_nothing_of_the_host_modules_or_aspnetcore_so_shared_kernel_tests_build_without_them() =>
        Types.InAssembly(typeof(ScratchDatabase).Assembly).ShouldNot()
            .HaveDependencyOnAny("Shop.Modules", "Shop.Shared.Hosting", "Shop.Host", "Shop.Testing.Hosting", "Microsoft.AspNetCore")
            .GetResult().ShouldPass();
}

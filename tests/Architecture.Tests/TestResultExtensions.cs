using NetArchTest.Rules;

namespace Shop.Architecture.Tests;

internal static class TestResultExtensions
{
    public static void ShouldPass(this NetArchTest.Rules.TestResult result) =>
        result.IsSuccessful.ShouldBeTrue(
            "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []));
}

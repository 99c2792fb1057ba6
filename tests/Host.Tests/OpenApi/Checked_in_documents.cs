using System.Text.Encodings.Web;
using System.Text.Json;
using Shop.Testing;

namespace Shop.Host.Tests.OpenApi;

/// <summary>
/// The SPA's API types are generated from the OpenAPI documents checked in under web/src/api/openapi: they must be
/// what the modules serve. SHOP_UPDATE_OPENAPI=1 rewrites them from the served ones instead of comparing.
/// </summary>
public sealed class Checked_in_documents(DocumentedShop shop) : IClassFixture<DocumentedShop>
{
    public const string UpdateVariable = "SHOP_UPDATE_OPENAPI";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("orders")]
    [InlineData("payments")]
    public async Task The_checked_in_OpenAPI_document_is_the_one_the_module_serves(string module)
    {
        // Arrange
        var path = Path.Combine(RepositoryRoot.Path, "web", "src", "api", "openapi", $"{module}.json");
        var served = Normalised(await shop.DocumentAsync(module, ct));
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, served, ct);
        }

        // Act
        var checkedIn = File.Exists(path) ? Normalised(JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(path, ct))) : "(missing)";

        // Assert
        checkedIn.ShouldBe(served,
            $"web/src/api/openapi/{module}.json is not the document the {module} module serves. If the API change is meant, rewrite it with "
            + $"'{UpdateVariable}=1 dotnet test tests/Host.Tests --filter FullyQualifiedName~Checked_in_documents', regenerate the SPA's "
            + "types with 'npm run api:generate' in web/, and commit both.");
    }

    private static string Normalised(JsonElement document) => JsonSerializer.Serialize(document, Indented).ReplaceLineEndings("\n") + "\n";
}

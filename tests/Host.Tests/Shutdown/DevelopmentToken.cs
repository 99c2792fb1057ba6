using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shop.Shared.Hosting.Authentication;
using Shop.Testing;

namespace Shop.Host.Tests.Shutdown;

/// <summary>A token for a new user, signed with the key a Development host process reads from its appsettings.</summary>
internal static class DevelopmentToken
{
    public static string New()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(LocalProcesses.HostBuildOutput, "appsettings.Development.json")).Build();
        var auth = settings.GetSection(AuthOptions.SectionName).Get<AuthOptions>()!;
        return new TokenIssuer(Options.Create(auth), TimeProvider.System).Issue(Guid.CreateVersion7()).Token;
    }
}

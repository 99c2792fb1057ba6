using System.Net.Http.Json;

using Shouldly;

namespace Shop.Testing.Hosting;

/// <summary>The parts of an RFC 9457 problem that a client relies on.</summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return (await response.Content.ReadFromJsonAsync<Problem>(cancellationToken))!;
    }

}

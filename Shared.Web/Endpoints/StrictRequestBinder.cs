using FastEndpoints;

namespace Shop.Shared.Web.Endpoints;

/// <summary>
/// FastEndpoints binds a request property from every source with a value of that name, the query string after the
/// body, so <c>?amount=5</c> overrode a top-up's body. Here a query parameter binds only a <c>[QueryParam]</c>
/// property and any other is refused, like an unknown body member; form fields bind nothing (no endpoint takes a form).
/// </summary>
internal sealed class StrictRequestBinder<TRequest>() : RequestBinder<TRequest>(Sources) where TRequest : notnull
{
    private static readonly HashSet<string> QueryParameters = typeof(TRequest).GetProperties()
        .Where(p => p.IsDefined(typeof(QueryParamAttribute), inherit: true))
        .Select(p => p.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static readonly BindingSource Sources =
        BindingSource.JsonBody | BindingSource.RouteValues | BindingSource.Headers | BindingSource.UserClaims | BindingSource.Permissions
        | (QueryParameters.Count > 0 ? BindingSource.QueryParams : 0);

    public override ValueTask<TRequest> BindAsync(BinderContext ctx, CancellationToken ct)
    {
        foreach (var name in ctx.HttpContext.Request.Query.Keys.Where(name => !QueryParameters.Contains(name)))
        {
            ctx.ValidationFailures.Add(new(name, $"{name} is not a query parameter of this endpoint."));
        }

        return ctx.ValidationFailures.Count == 0
            ? base.BindAsync(ctx, ct)
            : throw new ValidationFailureException(ctx.ValidationFailures, "Unknown query parameters.");
    }
}

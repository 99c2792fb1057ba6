namespace Shop.Shared.Messaging;

/// <summary>
/// An event type at one version of its data's shape. Events written with it carry <see cref="Schema"/> as their
/// CloudEvents <c>dataschema</c>: the <c>$id</c> of its JSON Schema in the repository's <c>contracts/</c> folder.
/// A change a reader of the previous version cannot read is a new version (and, while both are read, both are written).
/// </summary>
public sealed record EventContract(string Type, int Version)
{
    public Uri Schema { get; } = new($"urn:shop:contracts:{Type}:{Version}");
}

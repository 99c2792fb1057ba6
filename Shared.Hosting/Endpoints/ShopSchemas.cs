using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using NJsonSchema.Generation;
using Shop.Shared.Web.Endpoints;

namespace Shop.Shared.Hosting.Endpoints;

/// <summary>
/// Schemas that say what the API really sends and takes. A response type's members are always written (a null as
/// null), so each is required; a request's body schema holds only its body members (not what comes from the route,
/// query or headers: <see cref="StrictJson"/> refuses those in a body); a string with <see cref="AllowedValuesAttribute"/>
/// is an enumeration.
/// </summary>
internal sealed class ShopSchemas : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        var type = context.ContextualType.Type;
        var schema = context.Schema;
        if (type.Namespace?.StartsWith("Shop.", StringComparison.Ordinal) != true || schema.Properties.Count == 0)
        {
            return;
        }

        if (type.Name == "Request")
        {
            var body = StrictJson.BodyMemberNames(type);
            foreach (var name in schema.Properties.Keys.Where(k => !body.Contains(k)).ToList())
            {
                schema.Properties.Remove(name);
                schema.RequiredProperties.Remove(name);
            }

            return;
        }

        foreach (var (name, property) in schema.Properties)
        {
            property.IsRequired = true;
            var member = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (member?.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            {
                property.Enumeration.Clear();
                foreach (var value in allowed.Values)
                {
                    property.Enumeration.Add(value);
                }
            }
        }
    }
}

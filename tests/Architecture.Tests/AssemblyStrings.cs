using System.Collections;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Shop.Architecture.Tests;

/// <summary>
/// Every string an assembly carries: its code's literals (the #US heap), constant fields and parameter defaults,
/// attribute arguments, and its embedded resources (names and text).
/// </summary>
internal static class AssemblyStrings
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IReadOnlyList<string> Of(Assembly assembly) =>
        [.. FromMetadata(assembly.Location), .. FromAttributes(assembly), .. FromResources(assembly)];

    private static List<string> FromMetadata(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        var strings = new List<string>();
        if (reader.GetHeapSize(HeapIndex.UserString) > 1)
        {
            for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = reader.GetNextHandle(handle))
            {
                strings.Add(reader.GetUserString(handle));
            }
        }

        var constants = reader.FieldDefinitions.Select(f => reader.GetFieldDefinition(f).GetDefaultValue())
            .Concat(reader.MethodDefinitions
                .SelectMany(m => reader.GetMethodDefinition(m).GetParameters())
                .Select(p => reader.GetParameter(p).GetDefaultValue()));
        foreach (var constant in constants.Where(c => !c.IsNil).Select(reader.GetConstant).Where(c => c.TypeCode == ConstantTypeCode.String))
        {
            var blob = reader.GetBlobReader(constant.Value);
            strings.Add(blob.ReadUTF16(blob.Length));
        }

        return strings;
    }

    private static IEnumerable<string> FromAttributes(Assembly assembly)
    {
        var types = assembly.GetTypes();
        var members = types.SelectMany(t => t.GetMembers(Declared)).ToList();
        var parameters = members.OfType<MethodBase>().SelectMany(m => m.GetParameters());
        return assembly.GetCustomAttributesData()
            .Concat(types.SelectMany(t => t.GetCustomAttributesData()))
            .Concat(members.SelectMany(m => m.GetCustomAttributesData()))
            .Concat(parameters.SelectMany(p => p.GetCustomAttributesData()))
            .SelectMany(a => a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)))
            .SelectMany(Values);
    }

    private static IEnumerable<string> Values(CustomAttributeTypedArgument argument) => argument.Value switch
    {
        string text => [text],
        IEnumerable<CustomAttributeTypedArgument> items => items.SelectMany(Values),
        _ => [],
    };

    private static IEnumerable<string> FromResources(Assembly assembly)
    {
        foreach (var name in assembly.GetManifestResourceNames())
        {
            yield return name;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var text = new StreamReader(stream);
            yield return text.ReadToEnd();
        }
    }
}

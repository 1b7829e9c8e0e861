using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Which file each generated type goes into. A document of up to <see cref="OneFilePerTypeUpTo"/>
/// types gets a file per type, named after it. A larger one gets <see cref="SharedFiles"/> files,
/// each type in the one its name hashes to, in document order inside it.
/// </summary>
/// <remarks>
/// Why not a file per type at any size: on every run, edit or not, Roslyn checks each file a
/// generator adds against every file added before it (a linear search per file, so quadratic in
/// the number of files), and an IDE runs the generator on every keystroke. At 2,500 files that is
/// about 11 ms per keystroke and it grows with the square of the document; at 128 files it is a
/// few hundredths of a millisecond whatever the size (bench/README.md, "IDE latency"). The key is
/// a hash of the type's name, not its position, so that adding or removing a schema changes one
/// file, and editing one schema re-emits one file of a few dozen types.
/// </remarks>
internal static class FileLayout
{
    /// <summary>The most types a document may have and still get one file per type.</summary>
    public const int OneFilePerTypeUpTo = 256;

    /// <summary>How many files a larger document's types share.</summary>
    public const int SharedFiles = 128;

    /// <summary>The files of <paramref name="types"/>, none empty, in a stable order.</summary>
    public static IEnumerable<TypeFileModel> Files(EquatableArray<TypeModel> types)
    {
        if (types.Count <= OneFilePerTypeUpTo)
        {
            foreach (TypeModel type in types)
            {
                yield return new TypeFileModel(type.HintName, type.Namespace, new[] { type }.ToEquatableArray());
            }

            yield break;
        }

        var buckets = new List<TypeModel>?[SharedFiles];
        foreach (TypeModel type in types)
        {
            int bucket = (int)(Naming.StableHash(type.Name) % SharedFiles);
            (buckets[bucket] ??= new List<TypeModel>()).Add(type);
        }

        for (int i = 0; i < SharedFiles; i++)
        {
            if (buckets[i] is { } members)
            {
                TypeModel first = members[0];
                string hintName = $"{first.HintPrefix ?? first.Namespace}.Models.{i.ToString("000", CultureInfo.InvariantCulture)}.g.cs";
                yield return new TypeFileModel(hintName, first.Namespace, members.ToEquatableArray());
            }
        }
    }

}

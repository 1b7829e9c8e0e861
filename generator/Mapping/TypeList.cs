using System;
using System.Collections;
using System.Collections.Generic;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// The types mapped so far, in the order they were made, findable by name in constant time: the
/// mappers look types up once per operation, variant and poller, and a linear search there made
/// mapping grow with the square of the document.
/// </summary>
internal sealed class TypeList : IReadOnlyList<TypeModel>
{
    private readonly List<TypeModel> _types = new();
    private readonly Dictionary<string, TypeModel> _byName = new(StringComparer.Ordinal);

    public int Count => _types.Count;

    public TypeModel this[int index] => _types[index];

    public void Add(TypeModel type)
    {
        _types.Add(type);
        _byName[type.Name] = type;
    }

    /// <summary>The type called <paramref name="name"/> if it is a <typeparamref name="T"/>; else null.</summary>
    public T? Named<T>(string? name)
        where T : TypeModel =>
        name is not null && _byName.TryGetValue(name, out TypeModel? type) ? type as T : null;

    public IEnumerator<TypeModel> GetEnumerator() => _types.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

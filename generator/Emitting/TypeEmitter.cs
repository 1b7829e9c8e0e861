using System;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>Picks the emitter for a type model.</summary>
internal static class TypeEmitter
{
    public static string Emit(TypeModel model) => model switch
    {
        ObjectModel objectModel => ObjectEmitter.Emit(objectModel),
        EnumModel enumModel => EnumEmitter.Emit(enumModel),
        UnionModel unionModel => UnionEmitter.Emit(unionModel),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model.GetType().Name, null),
    };
}

using System;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>Writes a file of types: the header once, then each type with its converters.</summary>
internal static class TypeEmitter
{
    public static string Emit(TypeFileModel file)
    {
        SourceWriter w = FileHeader.Start(file.Namespace, file.UsesDeprecated);
        if (file.Types.Count > 1)
        {
            // A reader who opens a shared file learns at once why it holds several types, and which.
            w.Line($"// {file.Types.Count} of the document's types, which are too many for a file each (see \"Generated files\" in");
            w.Line("// Specgen's README). In this file:");
            var line = new System.Text.StringBuilder("//");
            for (int i = 0; i < file.Types.Count; i++)
            {
                string name = " " + file.Types[i].Name + (i == file.Types.Count - 1 ? "." : ",");
                if (line.Length + name.Length > 100 && line.Length > 2)
                {
                    w.Line(line.ToString());
                    line.Clear().Append("//");
                }

                line.Append(name);
            }

            w.Line(line.ToString());
            w.Line();
        }

        bool first = true;
        foreach (TypeModel type in file.Types)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            Write(w, type);
        }

        return w.ToString();
    }

    private static void Write(SourceWriter w, TypeModel model)
    {
        switch (model)
        {
            case ObjectModel objectModel:
                ObjectEmitter.Write(w, objectModel);
                break;
            case EnumModel enumModel:
                EnumEmitter.Write(w, enumModel);
                break;
            case NamedValuesModel namedValues:
                EnumEmitter.WriteNamedValues(w, namedValues);
                break;
            case UnionModel unionModel:
                UnionEmitter.Write(w, unionModel);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(model), model.GetType().Name, null);
        }
    }
}

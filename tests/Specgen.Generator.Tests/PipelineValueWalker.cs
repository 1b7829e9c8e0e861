using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Tests;

/// <summary>
/// Walks a pipeline value field by field and fails on anything that would keep a compilation
/// alive or defeat caching: compiler objects (<see cref="ISymbol"/>, <see cref="Compilation"/>,
/// <see cref="SyntaxNode"/>, <see cref="Location"/> ...), the OpenAPI or YAML object graphs, JSON
/// DOM nodes, types of the generator that are not value-equal, and collections that compare by
/// reference (anything but an <c>EquatableArray</c>).
/// </summary>
internal static class PipelineValueWalker
{
    private static readonly Type[] ForbiddenTypes =
    {
        typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel),
        typeof(Location), typeof(AdditionalText), typeof(Diagnostic),
        typeof(System.Text.Json.Nodes.JsonNode), typeof(System.Text.Json.JsonDocument),
    };

    private static readonly string[] ForbiddenNamespaces = { "Microsoft.OpenApi", "YamlDotNet" };

    private static readonly Assembly GeneratorAssembly = typeof(SpecgenGenerator).Assembly;

    /// <summary>Walks <paramref name="root"/>; returns how many objects were visited.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">A forbidden object was found; the message gives its path.</exception>
    public static int Walk(object? root, string rootName)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        int count = 0;
        var pending = new Stack<(object? Value, string Path, Type? Parent)>();
        pending.Push((root, rootName, null));
        while (pending.Count > 0)
        {
            (object? value, string path, Type? parent) = pending.Pop();
            if (value is null || value is string || value is Type || value.GetType().IsPrimitive || value.GetType().IsEnum || value is decimal)
            {
                continue;
            }

            Type type = value.GetType();
            if (!type.IsValueType && !visited.Add(value))
            {
                continue;
            }

            count++;
            Check(type, path);
            CheckCollection(type, parent, path);
            if (value is Array array)
            {
                int index = 0;
                foreach (object? item in array)
                {
                    pending.Push((item, $"{path}[{index++}]", type));
                }

                continue;
            }

            for (Type? current = type; current is not null && current != typeof(object); current = current.BaseType)
            {
                foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                    {
                        continue;
                    }

                    pending.Push((field.GetValue(value), $"{path}.{field.Name}", type));
                }
            }
        }

        return count;
    }

    private static void Check(Type type, string path)
    {
        if (ForbiddenTypes.FirstOrDefault(forbidden => forbidden.IsAssignableFrom(type)) is { } found)
        {
            throw new Xunit.Sdk.XunitException($"A pipeline value holds a {found.Name} ({type.FullName}) at {path}.");
        }

        if (type.Namespace is { } ns && ForbiddenNamespaces.Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal)))
        {
            throw new Xunit.Sdk.XunitException($"A pipeline value holds a {type.FullName} at {path}.");
        }

        // The generator's own types must compare by value, or the driver can never cache them.
        if (type.Assembly == GeneratorAssembly && !type.IsArray && !IsCompilerGenerated(type) && !typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type))
        {
            throw new Xunit.Sdk.XunitException($"A pipeline value holds a {type.FullName}, which is not IEquatable<{type.Name}>, at {path}.");
        }
    }

    /// <summary>A collection is value-equal only as the array inside the ImmutableArray inside an EquatableArray.</summary>
    private static void CheckCollection(Type type, Type? parent, string path)
    {
        bool allowed;
        if (type.IsArray)
        {
            allowed = IsGeneric(parent, typeof(System.Collections.Immutable.ImmutableArray<>));
        }
        else if (IsGeneric(type, typeof(System.Collections.Immutable.ImmutableArray<>)))
        {
            allowed = parent is not null && parent.IsGenericType && parent.GetGenericTypeDefinition().Name == "EquatableArray`1" && parent.Assembly == GeneratorAssembly;
        }
        else
        {
            allowed = !typeof(IEnumerable).IsAssignableFrom(type) || (type.IsGenericType && type.GetGenericTypeDefinition().Name == "EquatableArray`1" && type.Assembly == GeneratorAssembly);
        }

        if (!allowed)
        {
            throw new Xunit.Sdk.XunitException($"A pipeline value holds a {type.Name} at {path}, which compares by reference; use EquatableArray<T>.");
        }
    }

    private static bool IsGeneric(Type? type, Type definition) => type is not null && type.IsGenericType && type.GetGenericTypeDefinition() == definition;

    private static bool IsCompilerGenerated(Type type) => type.GetCustomAttribute<CompilerGeneratedAttribute>() is not null;
}

using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.OpenApi;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;

namespace Specgen.Generator.Reading;

/// <summary>
/// The Parse step: text in, <see cref="ParseResult"/> out, through four stages, each reading only
/// what the one before made:
/// <list type="number">
/// <item><description>the text -> the tree as read (<see cref="SpecReader"/>), never changed after;</description></item>
/// <item><description>that tree -> a normalized copy (<see cref="NormalizedDocument"/>): other files' parts copied in,
/// values of a shape nothing can read left out, Swagger 2.0 bodies restated; and the <c>$ref</c>s as written;</description></item>
/// <item><description>the normalized tree -> Microsoft.OpenApi's object model (<see cref="OpenApiReading"/>);</description></item>
/// <item><description>the object model -> the <see cref="ApiModel"/> (<see cref="ApiMapper"/>).</description></item>
/// </list>
/// The trees and the object model live only inside this method, and no exception leaves it (a
/// generator that throws is CS8785 and takes every other output of the compilation with it).
/// </summary>
internal static class SpecParser
{
    /// <param name="readFile">
    /// The text of another file of the project by its full path (null when there is no such
    /// file), for the <c>$ref</c>s that point into other files; null when the caller cannot
    /// provide other files, which makes each such reference a SPEC002.
    /// </param>
    public static ParseResult Parse(SpecInput input, Func<string, string?>? readFile, CancellationToken cancellationToken)
    {
        SpecDocument read;
        try
        {
            read = SpecReader.Read(input.Path, input.Text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ParseResult(input.Path, null, new[] { ReadFailure(input.Path, ex) }.ToEquatableArray());
        }

        if (read.Root is not JsonObject root || !(root.ContainsKey("openapi") || root.ContainsKey("swagger")))
        {
            return Failed(input.Path, DiagnosticDescriptors.NotOpenApi.Id, "The file has no top-level 'openapi' or 'swagger' member, so it is not an OpenAPI document", new LocationInfo(input.Path, 0, 0));
        }

        var diagnostics = new List<DiagnosticInfo>();
        NormalizedDocument? normalized = null;
        MappingContext? context = null;
        try
        {
            bool swagger2 = root.ContainsKey("swagger");
            normalized = new NormalizedDocument(read);
            diagnostics.AddRange(ExternalReferences.Resolve(normalized, readFile, cancellationToken));
            diagnostics.AddRange(SpecShape.Check(normalized, cancellationToken));
            if (swagger2)
            {
                Swagger2Bodies.Apply(normalized);
            }

            WrittenReferences references = WrittenReferences.Collect(normalized, cancellationToken);
            if (OpenApiReading.Read(normalized, swagger2, diagnostics) is not { } openApi)
            {
                return new ParseResult(input.Path, null, diagnostics.ToEquatableArray());
            }

            context = new MappingContext(normalized.Locate, references, input.Namespace, input.ClientName, input.Target, cancellationToken);
            ApiModel model = ApiMapper.Map(openApi, context);
            diagnostics.AddRange(context.Diagnostics);
            return new ParseResult(input.Path, model, diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            diagnostics.AddRange(context?.Diagnostics ?? new List<DiagnosticInfo>());
            LocationInfo where = normalized?.Locate(string.Empty) ?? new LocationInfo(input.Path, 0, 0);
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.InternalError.Id, $"{ex.GetType().Name}: {ex.Message}", string.Empty, where));
            return new ParseResult(input.Path, null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>
    /// What a failure to read the text says: a limit (SPEC008), a text that is not YAML or JSON
    /// (SPEC001, where it fails), or, for any other exception, a bug of ours (SPEC005): every
    /// problem of the text itself is a <see cref="SpecReadException"/>.
    /// </summary>
    internal static DiagnosticInfo ReadFailure(string path, Exception exception) => exception switch
    {
        SpecLimitException limit => new DiagnosticInfo(DiagnosticDescriptors.LimitExceeded.Id, limit.Message, string.Empty, new LocationInfo(path, limit.Line, limit.Column)),
        SpecReadException read => new DiagnosticInfo(DiagnosticDescriptors.SyntaxError.Id, read.Message, string.Empty, new LocationInfo(path, read.Line, read.Column)),
        _ => new DiagnosticInfo(DiagnosticDescriptors.InternalError.Id, $"{exception.GetType().Name}: {exception.Message}", string.Empty, new LocationInfo(path, 0, 0)),
    };

    private static ParseResult Failed(string path, string id, string detail, LocationInfo location) =>
        new(path, null, new[] { new DiagnosticInfo(id, detail, string.Empty, location) }.ToEquatableArray());
}

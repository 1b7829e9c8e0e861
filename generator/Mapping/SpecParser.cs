using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Mapping;

/// <summary>
/// The Parse step: text in, <see cref="ParseResult"/> out. The YAML and OpenAPI object graphs live
/// only inside this method, and no exception leaves it (a generator that throws is CS8785 and
/// takes every other output of the compilation with it).
/// </summary>
internal static class SpecParser
{
    public static ParseResult Parse(SpecInput input, CancellationToken cancellationToken)
    {
        SpecDocument document;
        try
        {
            document = SpecReader.Read(input.Path, input.Text);
        }
        catch (SpecReadException ex)
        {
            return Failed(DiagnosticDescriptors.SyntaxError.Id, ex.Message, new LocationInfo(input.Path, ex.Line, ex.Column));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failed(DiagnosticDescriptors.SyntaxError.Id, ex.Message, new LocationInfo(input.Path, 0, 0));
        }

        var context = new MappingContext(document, input.Namespace, input.ClientName, cancellationToken);
        try
        {
            if (document.Root is not System.Text.Json.Nodes.JsonObject root || !(root.ContainsKey("openapi") || root.ContainsKey("swagger")))
            {
                return Failed(DiagnosticDescriptors.NotOpenApi.Id, "The file has no top-level 'openapi' or 'swagger' member, so it is not an OpenAPI document", new LocationInfo(input.Path, 0, 0));
            }

            var settings = new OpenApiReaderSettings();
            ReadResult read = new OpenApiJsonReader().Read(document.Root, new Uri("file:///" + input.Path.Replace('\\', '/').TrimStart('/')), settings);
            if (read.Diagnostic?.Errors is { } errors)
            {
                foreach (OpenApiError error in errors)
                {
                    context.Report(DiagnosticDescriptors.ReaderProblem.Id, error.Message, PointerOf(error.Pointer));
                }
            }

            if (read.Document is not { } openApi)
            {
                return new ParseResult(null, context.Diagnostics.ToEquatableArray());
            }

            ApiModel model = ApiMapper.Map(openApi, context);
            return new ParseResult(model, context.Diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            context.Report(DiagnosticDescriptors.InternalError.Id, $"{ex.GetType().Name}: {ex.Message}", string.Empty);
            return new ParseResult(null, context.Diagnostics.ToEquatableArray());
        }
    }

    private static ParseResult Failed(string id, string detail, LocationInfo location) =>
        new(null, new[] { new DiagnosticInfo(id, detail, string.Empty, location) }.ToEquatableArray());

    // The reader reports pointers as "#/paths/..."; ours have no '#'.
    private static string PointerOf(string? pointer) =>
        pointer is null ? string.Empty : pointer.StartsWith("#", StringComparison.Ordinal) ? pointer.Substring(1) : pointer;
}

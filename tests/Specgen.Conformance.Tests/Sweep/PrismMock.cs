using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Specgen.Generator.Tests;
using Specgen.IntegrationTests.Prism;

namespace Specgen.Conformance.Tests.Sweep;

/// <summary>How Prism makes its answers.</summary>
internal enum PrismMode
{
    /// <summary>Generated from the response's schema by json-schema-faker, every optional member filled (the sweep's first pass).</summary>
    Dynamic,

    /// <summary>
    /// Generated as <see cref="Dynamic"/> with every optional member left out. On schemas that
    /// refer to each other in cycles (Xero's Invoice, CreditNote, Allocation), json-schema-faker
    /// follows a cycle through optional members to a reference it cannot resolve and throws.
    /// </summary>
    DynamicRequiredMembersOnly,

    /// <summary>The response's example (or one sampled from its schema): for responses that give examples but no schema, which dynamic mode cannot answer.</summary>
    Static,
}

/// <summary>
/// Prism's validating mock of one corpus document, with dynamic responses from a fixed seed, on
/// 127.0.0.1. It mocks a temporary copy (the whole folder of a multi-file document, in its
/// layout) whose root has an <c>x-json-schema-faker</c> member that caps what json-schema-faker
/// generates; the corpus itself is never written to. A stalled or crashed Prism is restarted, and
/// why is kept.
/// </summary>
internal sealed class PrismMock : IDisposable
{
    /// <summary>
    /// Arrays of at most one item: enough for the client to read an item of every array, and it
    /// keeps json-schema-faker's work small. Measured: with 2, Xero's mutually recursive
    /// Invoice/CreditNote/Allocation took up to 15 s per call (4.5 min for the document) and
    /// Discord's 3 min; with 1, about 1 min and 1.8 min. Without a cap Xero ran out of memory.
    /// </summary>
    public const int MaxItems = 1;

    /// <summary>Where Prism is installed: a folder of its own, since this install pins one json-schema-faker (see <see cref="PrismInstaller.OneJsonSchemaFaker"/>).</summary>
    public static string InstallDirectory => Path.Combine(RepoPaths.RepoRoot, ".tools", "prism-sweep");


    private readonly string _entryPoint;
    private readonly string _copyRoot;
    private readonly string[] _options;
    private readonly List<string> _restarts = new();
    private PrismServer _server;
    private bool _disposed;

    private PrismMock(string entryPoint, string copyRoot, string[] options, string specPath, PrismServer server)
    {
        _entryPoint = entryPoint;
        _options = options;
        _copyRoot = copyRoot;
        SpecPath = specPath;
        _server = server;
    }

    /// <summary>The temporary copy Prism mocks.</summary>
    public string SpecPath { get; }

    /// <summary>Prism's root: the document's paths are served here, whatever its servers or basePath say.</summary>
    public Uri Root => _server.BaseAddress;

    public bool HasExited => _server.HasExited;

    /// <summary>Why Prism was restarted, in order.</summary>
    public IReadOnlyList<string> Restarts => _restarts;

    /// <param name="mode">How Prism answers (see <see cref="PrismMode"/>).</param>
    public static async Task<PrismMock> StartAsync(CorpusDocument document, PrismMode mode = PrismMode.Dynamic)
    {
        string entryPoint = await PrismInstaller.EnsureInstalledAsync(InstallDirectory, searchPath: null, PrismInstaller.OneJsonSchemaFaker);
        string copyRoot = Path.Combine(Path.GetTempPath(), "specgen-sweep-" + Guid.NewGuid().ToString("N"));
        foreach (string file in document.Files)
        {
            string target = Path.Combine(copyRoot, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string text = File.ReadAllText(document.FullPath(file));
            File.WriteAllText(target, file == document.Name ? WithFakerOptions(text, mode == PrismMode.DynamicRequiredMembersOnly) : text);
        }

        string specPath = Path.Combine(copyRoot, document.Name);
        try
        {
            string[] options = mode == PrismMode.Static ? [] : ["--dynamic", "--seed", "1"];
            return new PrismMock(entryPoint, copyRoot, options, specPath, await PrismServer.StartAsync(entryPoint, specPath, options));
        }
        catch
        {
            Directory.Delete(copyRoot, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The document with a root <c>x-json-schema-faker</c> member (Prism hands it to
    /// json-schema-faker as options), added to the text without rewriting the rest: after the
    /// opening brace of JSON, as the last top-level key of YAML.
    /// </summary>
    public static string WithFakerOptions(string text, bool requiredMembersOnly = false)
    {
        if (text.Contains("x-json-schema-faker", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The document already sets x-json-schema-faker; the sweep would override it.");
        }

        // Options as JSON, which is YAML too (a flow mapping).
        string options = $"{{\"maxItems\":{MaxItems}" + (requiredMembersOnly ? ",\"alwaysFakeOptionals\":false,\"optionalsProbability\":0" : string.Empty) + "}";
        int first = text.TakeWhile(char.IsWhiteSpace).Count();
        return first < text.Length && text[first] == '{'
            ? text.Substring(0, first + 1) + $"\"x-json-schema-faker\":{options}," + text.Substring(first + 1)
            : text.TrimEnd('\n', '\r') + $"\nx-json-schema-faker: {options}\n";
    }

    /// <summary>Stops Prism (whatever it is doing) and starts it again on a new port.</summary>
    public async Task RestartAsync(string why)
    {
        _restarts.Add(why);
        _server.Dispose();
        _server = await PrismServer.StartAsync(_entryPoint, SpecPath, _options);
    }

    /// <summary>Prism's last lines (it logs every request and each violation it found).</summary>
    public string Tail(int lines) => _server.Tail(lines);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _server.Dispose();
        try
        {
            Directory.Delete(_copyRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the copy is in the temporary folder, which the system cleans.
        }
    }
}

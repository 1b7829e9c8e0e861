using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace Specgen.Packaging.Tests.Support;

/// <summary>A .nupkg opened as the zip it is: its file list, its files' bytes and its nuspec.</summary>
internal sealed class NuGetPackage
{
    // Files every package has, which say nothing about its contents.
    private static readonly string[] OpcParts = ["_rels/", "package/", "[Content_Types].xml"];

    private readonly Dictionary<string, byte[]> _files;

    private NuGetPackage(Dictionary<string, byte[]> files, XDocument nuspec)
    {
        _files = files;
        Nuspec = nuspec;
    }

    /// <summary>Every file's path in the package (forward slashes), packaging parts left out.</summary>
    public IReadOnlyCollection<string> Files => _files.Keys;

    public XDocument Nuspec { get; }

    public static NuGetPackage Open(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        XDocument? nuspec = null;
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/') || OpcParts.Any(part => entry.FullName.StartsWith(part, StringComparison.Ordinal)))
            {
                continue;
            }

            using Stream stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            if (!entry.FullName.Contains('/') && entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal))
            {
                buffer.Position = 0;
                nuspec = XDocument.Load(buffer);
                continue;
            }

            files.Add(Uri.UnescapeDataString(entry.FullName), buffer.ToArray());
        }

        return new NuGetPackage(files, nuspec ?? throw new InvalidDataException($"{path} has no .nuspec at its root."));
    }

    public byte[] Read(string path) =>
        _files.TryGetValue(path, out byte[]? bytes) ? bytes : throw new FileNotFoundException($"The package has no {path}; it has: {string.Join(", ", Files.Order(StringComparer.Ordinal))}");

    /// <summary>The files directly in <paramref name="folder"/> (no trailing slash), by name.</summary>
    public IReadOnlyList<string> FilesIn(string folder) =>
        Files.Where(f => f.StartsWith(folder + "/", StringComparison.Ordinal)).Select(f => f[(folder.Length + 1)..]).Order(StringComparer.Ordinal).ToList();

    /// <summary>The value of a metadata element (id, version, license, readme...).</summary>
    public string? Metadata(string name) => MetadataElement(name)?.Value;

    public XElement? MetadataElement(string name) =>
        Nuspec.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>Every (target framework, dependency id, version) in the nuspec's dependency groups.</summary>
    public IReadOnlyList<(string? TargetFramework, string Id, string Version)> Dependencies() =>
        (MetadataElement("dependencies")?.Elements() ?? [])
            .SelectMany(group => group.Name.LocalName == "group"
                ? group.Elements().Select(d => ((string?)group.Attribute("targetFramework")?.Value, d.Attribute("id")!.Value, d.Attribute("version")!.Value))
                : [((string?)null, group.Attribute("id")!.Value, group.Attribute("version")!.Value)])
            .ToList();
}

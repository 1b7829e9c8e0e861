using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Specgen.Packaging.Tests.Support;

/// <summary>An assembly's identity and references, read with System.Reflection.Metadata (nothing is loaded).</summary>
internal sealed record AssemblyFile(AssemblyName Name, IReadOnlyList<AssemblyName> References, bool HasEmbeddedPdb)
{
    public static AssemblyFile Read(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        MetadataReader metadata = pe.GetMetadataReader();
        AssemblyName name = metadata.GetAssemblyDefinition().GetAssemblyName();
        List<AssemblyName> references = metadata.AssemblyReferences.Select(handle => metadata.GetAssemblyReference(handle).GetAssemblyName()).ToList();
        bool embeddedPdb = pe.ReadDebugDirectory().Any(entry => entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        return new AssemblyFile(name, references, embeddedPdb);
    }
}

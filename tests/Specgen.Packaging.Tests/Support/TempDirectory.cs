using System;
using System.IO;

namespace Specgen.Packaging.Tests.Support;

/// <summary>
/// A fresh folder under the system temp folder, outside the repository (so that none of its
/// Directory.Build.props, Directory.Packages.props or nuget.config can reach a user's project),
/// deleted on dispose unless SPECGEN_KEEP_TEMP=1 asks to keep it for a post-mortem.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("SPECGEN_KEEP_TEMP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that was just killed may still hold a file for a moment; the OS cleans temp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

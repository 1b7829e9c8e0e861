using System;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OpenAI.Assistants;
using OpenAI.Files;
using Specgen.Benchmarks.OpenAI;
using Specgen.Benchmarks.OpenAI.Files;
using Specgen.Runtime;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// Large bodies through the floor (the baseline), the generated clients and the official SDK: a
/// 10 MiB file uploaded as <c>multipart/form-data</c> (<c>POST /files</c>, the generated client
/// from Runtime/openai-files.yaml), opened from disk for each call as an app does; and one page of
/// <see cref="CannedThreadsServer.LargeListMessages"/> messages, 948 KB of JSON. Peak memory
/// per call is measured by the <c>peak</c> pass (<see cref="ClientPeakMemory"/>).
/// </summary>
[Config(typeof(BenchmarkConfig.Large))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LargeBodyBenchmarks
{
    /// <summary>The uploaded file's size.</summary>
    public const int FileBytes = 10 * 1024 * 1024;

    private ServerProcess? _server;
    private BenchClients _clients = null!;
    private string _file = null!;
    private string _listThread = CannedThreadsServer.LargeThreadId;

    /// <summary>
    /// The benchmarks on clients of a server started elsewhere (the <c>peak</c> pass's child
    /// processes), uploading <paramref name="file"/>; with <paramref name="smallList"/> listing the
    /// five-message page instead (a warm-up of the same code with a small body).
    /// </summary>
    internal static LargeBodyBenchmarks Attach(BenchClients clients, string file, bool smallList) =>
        new() { _clients = clients, _file = file, _listThread = smallList ? CannedThreadsServer.ThreadId : CannedThreadsServer.LargeThreadId };

    [GlobalSetup]
    public void Setup()
    {
        _server = ServerProcess.Start();
        _clients = new BenchClients(_server.BaseAddress);
        _file = CreateFile(FileBytes);
        Check(this);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _clients?.Dispose();
        _server?.Dispose();
        File.Delete(_file);
    }

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("Upload 10 MiB")]
    public async Task<long> Upload_Floor() =>
        (await _clients.Floor.UploadFileAsync(File.OpenRead(_file), "upload.jsonl", "assistants")).Bytes;

    [Benchmark(Description = "Specgen"), BenchmarkCategory("Upload 10 MiB")]
    public async Task<long> Upload_Specgen()
    {
        await using FileStream file = File.OpenRead(_file);
        return (await _clients.SpecgenFiles.CreateFileAsync(new CreateFileRequest { File = file, Purpose = CreateFileRequestPurpose.Assistants })).Bytes;
    }

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("Upload 10 MiB")]
    public async Task<long> Upload_Sdk()
    {
        await using FileStream file = File.OpenRead(_file);
        return (await _clients.SdkFiles.UploadFileAsync(file, "upload.jsonl", FileUploadPurpose.Assistants)).Value.SizeInBytesLong ?? 0;
    }

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("List 1 MiB")]
    public async Task<int> List_Floor() => (await _clients.Floor.ListMessagesAsync(_listThread)).Data.Count;

    [Benchmark(Description = "Specgen"), BenchmarkCategory("List 1 MiB")]
    public async Task<int> List_Specgen() => (await _clients.Specgen.ListMessagesAsync(_listThread)).Data.Count;

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("List 1 MiB")]
    public async Task<int> List_Sdk()
    {
        // The SDK offers listing only as a collection; with has_more false it fetches one page.
        int count = 0;
        await foreach (ThreadMessage message in _clients.Sdk.GetMessagesAsync(_listThread))
        {
            count++;
        }

        return count;
    }

    /// <summary>A file of <paramref name="bytes"/> JSON lines in the temporary folder.</summary>
    public static string CreateFile(int bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"specgen-upload-{Environment.ProcessId}-{bytes}.jsonl");
        byte[] line = "{\"prompt\":\"Which neighbourhoods should I stay in?\",\"completion\":\"The old town.\"}\n"u8.ToArray();
        using FileStream file = File.Create(path);
        for (int written = 0; written < bytes; written += line.Length)
        {
            file.Write(line, 0, Math.Min(line.Length, bytes - written));
        }

        return path;
    }

    // Every client must send the whole file and read the whole list before anything is measured.
    private static void Check(LargeBodyBenchmarks b)
    {
        foreach ((string client, Func<Task<long>> upload, Func<Task<int>> list) in new (string, Func<Task<long>>, Func<Task<int>>)[]
        {
            ("floor", b.Upload_Floor, b.List_Floor), ("specgen", b.Upload_Specgen, b.List_Specgen), ("sdk", b.Upload_Sdk, b.List_Sdk),
        })
        {
            long received = upload().GetAwaiter().GetResult();
            int messages = list().GetAwaiter().GetResult();
            if (received < FileBytes || messages != CannedThreadsServer.LargeListMessages)
            {
                throw new InvalidOperationException($"The {client} client uploaded {received} bytes and listed {messages} messages.");
            }
        }
    }
}

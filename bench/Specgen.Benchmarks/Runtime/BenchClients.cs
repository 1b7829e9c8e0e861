using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
using OpenAI;
using OpenAI.Assistants;
using OpenAI.Files;
using Specgen.Benchmarks.OpenAI;
using Specgen.Benchmarks.OpenAI.Files;
using Specgen.Runtime;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// The clients compared by the concurrency and large-body benchmarks, all on the canned server:
/// the floor, the generated Threads and Files clients, the same generated client on the runtime's
/// own process-wide <see cref="HttpClient"/> (what an app gets when it passes none), and the
/// official SDK's assistant and file clients. Each of the floor, Specgen and the SDK has an
/// <see cref="HttpClient"/> of its own with the same settings (a default <see cref="SocketsHttpHandler"/>).
/// </summary>
internal sealed class BenchClients : IDisposable
{
    public const string ApiKey = "sk-bench";

    private readonly HttpClient _floorHttp = new(new SocketsHttpHandler());
    private readonly HttpClient _specgenHttp = new(new SocketsHttpHandler());
    private readonly HttpClient _sdkHttp = new(new SocketsHttpHandler());

    public BenchClients(Uri baseAddress)
    {
        Floor = new FloorClient(_floorHttp, baseAddress, ApiKey);

        var options = new ApiClientOptions { BaseAddress = baseAddress, ApiKey = ApiKey };
        options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        Specgen = new ThreadsClient(options, _specgenHttp);
        SpecgenDefaultHttp = new ThreadsClient(options);
        SpecgenFiles = new FilesClient(new ApiClientOptions { BaseAddress = baseAddress, ApiKey = ApiKey }, _specgenHttp);

        var transport = new HttpClientPipelineTransport(_sdkHttp);
        Sdk = new AssistantClient(new ApiKeyCredential(ApiKey), new AssistantClientOptions { Endpoint = baseAddress, Transport = transport });
        SdkFiles = new OpenAIFileClient(new ApiKeyCredential(ApiKey), new OpenAIClientOptions { Endpoint = baseAddress, Transport = transport });
    }

    public FloorClient Floor { get; }

    public ThreadsClient Specgen { get; }

    /// <summary>The generated client without an <see cref="HttpClient"/> of its own: the runtime's shared one.</summary>
    public ThreadsClient SpecgenDefaultHttp { get; }

    public FilesClient SpecgenFiles { get; }

    public AssistantClient Sdk { get; }

    public OpenAIFileClient SdkFiles { get; }

    public void Dispose()
    {
        _floorHttp.Dispose();
        _specgenHttp.Dispose();
        _sdkHttp.Dispose();
    }
}

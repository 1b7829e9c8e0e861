using System;
using System.Threading.Tasks;

#if CLIENT_FLOOR
using System.Net.Http;
using Specgen.Benchmarks.Runtime;
#elif CLIENT_SPECGEN
using Specgen.Benchmarks.OpenAI;
using Specgen.Runtime;
#elif CLIENT_SPECGEN_OPENAI
using Specgen.Benchmarks.OpenAIDocument;
using Specgen.Runtime;
#elif CLIENT_SDK
using System.ClientModel;
using OpenAI.Assistants;
#endif

namespace Specgen.Benchmarks.FirstCall;

/// <summary>
/// <c>FirstCall baseAddress</c>: a fresh process's first call, GetThread on the canned server, as
/// an app makes it (the client built, one request, the response read); prints the thread's id.
/// </summary>
public static class Program
{
    private const string ApiKey = "sk-bench";
    private const string ThreadId = "thread_abc123";

    public static async Task<int> Main(string[] args)
    {
        var address = new Uri(args[0]);
#if CLIENT_FLOOR
        using var http = new HttpClient();
        string id = (await new FloorClient(http, address, ApiKey).GetThreadAsync(ThreadId)).Id;
#elif CLIENT_SPECGEN
        var options = new ApiClientOptions { BaseAddress = address, ApiKey = ApiKey };
        options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        string id = (await new ThreadsClient(options).GetThreadAsync(ThreadId)).Id;
#elif CLIENT_SPECGEN_OPENAI
        var options = new ApiClientOptions { BaseAddress = address, ApiKey = ApiKey };
        options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        string id = (await new OpenAIClient(options).GetThreadAsync(ThreadId)).Id;
#elif CLIENT_SDK
        var client = new AssistantClient(new ApiKeyCredential(ApiKey), new AssistantClientOptions { Endpoint = address });
        string id = (await client.GetThreadAsync(ThreadId)).Value.Id;
#endif
        Console.WriteLine(id);
        return id == ThreadId ? 0 : 1;
    }
}

using System;
using System.Threading.Tasks;
using ThreadsConsole;
using ThreadsServer;

// With no OPENAI_API_KEY the flow runs against the local Threads server, started in-process on
// 127.0.0.1; with a key it runs against OpenAI (or OPENAI_BASE_URL).
string? apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
LocalThreadsServer? localServer = null;
Uri baseAddress;
if (string.IsNullOrEmpty(apiKey))
{
    localServer = await LocalThreadsServer.StartAsync();
    baseAddress = localServer.BaseAddress;

    // The spec says every operation needs a bearer key, so the client sends one; the local server takes any.
    apiKey = "sk-local-threads-server";
    Console.WriteLine($"No OPENAI_API_KEY set: using the local Threads server at {baseAddress}");
}
else
{
    baseAddress = new Uri(Environment.GetEnvironmentVariable("OPENAI_BASE_URL") ?? "https://api.openai.com/v1");
    Console.WriteLine($"Using {baseAddress}");
}

try
{
    await ThreadsTour.RunAsync(baseAddress, apiKey, Console.Out);

    // Runs need an assistant. The local server accepts any id; the real API needs one of yours.
    string? assistantId = localServer is not null ? "asst_local_sample" : Environment.GetEnvironmentVariable("OPENAI_ASSISTANT_ID");
    if (string.IsNullOrEmpty(assistantId))
    {
        Console.WriteLine("The conversation part needs an assistant: set OPENAI_ASSISTANT_ID to the id of one of your assistants (asst_...). Skipping it.");
        return 0;
    }

    await Conversation.RunAsync(ThreadsTour.CreateClient(baseAddress, apiKey), assistantId, Console.Out);
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"The tour failed: {ex.Message}");
    return 1;
}
finally
{
    if (localServer is not null)
    {
        await localServer.DisposeAsync();
    }
}

using System.IO;
using System.Threading.Tasks;
using Specgen.Packaging.Tests.Support;
using ThreadsServer;
using Xunit.Abstractions;

namespace Specgen.Packaging.Tests;

/// <summary>
/// Specgen on frameworks older than .NET 8, as README's "Older targets" describes: a .NET Standard 2.0
/// library and a .NET Framework 4.7.2 project, each on C# 11, get their clients from the package and
/// build without a warning; a .NET app runs the library's client against a loopback server.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class OlderTargetsTests(PackagesFixture packages, ITestOutputHelper log)
{
    // What C# 11 on an older framework must be given: required members, format: date (no DateOnly
    // there), date-time, uuid and base64, in a model, a path and a query; and a PATCH (no
    // HttpMethod.Patch there).
    private const string DatesSpec = """
        openapi: 3.0.3
        info:
          title: Days
          version: 1.0.0
        paths:
          /days/{day}:
            get:
              operationId: getDay
              parameters:
                - { name: day, in: path, required: true, schema: { type: string, format: date } }
                - { name: since, in: query, schema: { type: string, format: date } }
              responses:
                "200":
                  description: The day.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Day"
            patch:
              operationId: renameDay
              parameters:
                - { name: day, in: path, required: true, schema: { type: string, format: date } }
              requestBody:
                required: true
                content:
                  application/merge-patch+json:
                    schema:
                      $ref: "#/components/schemas/Day"
              responses:
                "200":
                  description: The day, renamed.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Day"
        components:
          schemas:
            Day:
              type: object
              required: [day, at]
              properties:
                day: { type: string, format: date }
                at: { type: string, format: date-time }
                id: { type: string, format: uuid }
                checksum: { type: string, format: byte }
                holidays: { type: array, items: { type: string, format: date } }
        """;

    private const string OlderTargetProperties = """
          <PropertyGroup>
            <LangVersion>11</LangVersion>
            <Nullable>enable</Nullable>
            <SpecgenOpenAIThreads>true</SpecgenOpenAIThreads>
          </PropertyGroup>
          <ItemGroup>
            <AdditionalFiles Include="days.yaml" />
          </ItemGroup>
        """;

    // C# 11, so no collection expressions: the library's code is what such a user writes.
    private const string LibraryCode = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Specgen.Runtime;
        using ThreadsLibrary.Days;
        using ThreadsLibrary.OpenAI;

        namespace ThreadsLibrary;

        public static class Conversation
        {
            public static async Task<string> RunAsync(Uri baseAddress)
            {
                var options = new ApiClientOptions { BaseAddress = baseAddress, ApiKey = "sk-local" };
                options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
                var client = new ThreadsClient(options);

                ThreadObject thread = await client.CreateThreadAsync(new CreateThreadRequest
                {
                    Messages = new List<CreateMessageRequest> { new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello!" } },
                });
                await client.CreateMessageAsync(thread.Id, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Still there?" });
                int messages = 0;
                await foreach (MessageObject message in client.ListMessagesAutoPagingAsync(thread.Id, limit: 1))
                {
                    messages++;
                }

                int events = 0;
                RunObject? completed = null;
                await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = "asst_local" }))
                {
                    events++;
                    completed = item.AsThreadRunCompleted?.Data ?? completed;
                }

                DeleteThreadResponse deleted = await client.DeleteThreadAsync(thread.Id);
                return $"{thread.Object} with {messages} messages, a run {completed?.Status} after {events} events, deleted: {deleted.Deleted}";
            }

            // Compiled, not called: format: date is a DateTime where the framework has no DateOnly.
            public static Task<Day> GetDayAsync(DaysClient client) => client.GetDayAsync(new DateTime(2026, 1, 2), since: new DateTime(2026, 1, 1));

            // Compiled, not called: a PATCH, whose HttpMethod those frameworks lack.
            public static Task<Day> RenameDayAsync(DaysClient client, Day day) => client.RenameDayAsync(new DateTime(2026, 1, 2), day);
        }
        """;

    [Fact]
    public async Task A_netstandard_library_on_CSharp_11_gets_clients_and_a_NET_app_runs_them_through_it()
    {
        using ConsumerApp library = await BuildLibraryAsync("netstandard2.0");

        using var app = new ConsumerApp(packages, "LibraryUser", log);
        await app.CreateAsync(addSpecgen: false);
        await app.AddReferenceAsync(library);
        app.WriteFile("Program.cs", """
            Console.WriteLine(await ThreadsLibrary.Conversation.RunAsync(new Uri(Environment.GetEnvironmentVariable("THREADS_BASE_URL")!)));
            """);
        await app.BuildAsync();
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync();

        string output = await app.RunAsync(("THREADS_BASE_URL", server.BaseAddress.ToString()));

        Assert.Contains("thread with 2 messages, a run completed after ", output);
        Assert.Contains("deleted: True", output);
    }

    [Fact]
    public async Task A_NET_Framework_472_project_on_CSharp_11_builds_against_its_reference_assemblies()
    {
        using ConsumerApp project = await BuildLibraryAsync("net472");

        Assert.True(File.Exists(Path.Combine(project.Directory, "bin", "Debug", "net472", "ThreadsLibrary.dll")), "The build wrote no ThreadsLibrary.dll.");
    }

    /// <summary>The library above, on C# 11, built for <paramref name="framework"/>; the build fails the test on any warning.</summary>
    private async Task<ConsumerApp> BuildLibraryAsync(string framework)
    {
        var library = new ConsumerApp(packages, "ThreadsLibrary", log);
        await library.CreateAsync("classlib", framework);
        library.AddToProject(OlderTargetProperties);
        library.WriteFile("days.yaml", DatesSpec);
        library.WriteFile("Conversation.cs", LibraryCode);
        await library.BuildAsync();
        return library;
    }
}

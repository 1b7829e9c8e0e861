using System.Threading.Tasks;
using Specgen.Packaging.Tests.Support;
using ThreadsServer;
using Xunit.Abstractions;

namespace Specgen.Packaging.Tests;

/// <summary>
/// What a new user does: a fresh console app, <c>dotnet add package Specgen</c> from a folder feed,
/// a spec, <c>dotnet build</c>, a run against a server on loopback, an edit of the spec, a rebuild.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class ConsumerTests(PackagesFixture packages, ITestOutputHelper log)
{
    private const string PetsSpec = """
        openapi: 3.1.0
        info:
          title: Pets
          version: 1.0.0
        paths:
          /pets/{pet_id}:
            get:
              operationId: getPet
              parameters:
                - name: pet_id
                  in: path
                  required: true
                  schema:
                    type: string
              responses:
                "200":
                  description: The pet.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Pet"
        components:
          schemas:
            Pet:
              type: object
              required: [id, name]
              properties:
                id:
                  type: string
                name:
                  type: string
        """;

    // The edit: one more operation, with a new request schema.
    private const string CreatePetPath = """
          /pets:
            post:
              operationId: createPet
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: "#/components/schemas/NewPet"
              responses:
                "200":
                  description: The new pet.
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Pet"
        """;

    private const string NewPetSchema = """
            NewPet:
              type: object
              required: [name]
              properties:
                name:
                  type: string
        """;

    private const string GetPetProgram = """
        using PetsApp.Pets;
        using Specgen.Runtime;

        var client = new PetsClient(new ApiClientOptions { BaseAddress = new Uri(Environment.GetEnvironmentVariable("PETS_BASE_URL")!) });
        Pet pet = await client.GetPetAsync("7");
        Console.WriteLine($"got {pet.Id} {pet.Name}");
        """;

    private const string CreatePetProgram = GetPetProgram + """

        Pet created = await client.CreatePetAsync(new NewPet { Name = "Fido" });
        Console.WriteLine($"created {created.Id} {created.Name}");
        """;

    [Fact]
    public async Task A_new_app_gets_a_client_from_its_spec_and_a_new_method_when_the_spec_gains_an_operation()
    {
        using var app = new ConsumerApp(packages, "PetsApp", log);
        await app.CreateAsync();
        // No metadata: the default namespace (<RootNamespace>.<FileName>) and client name apply.
        app.AddToProject("""
              <ItemGroup>
                <AdditionalFiles Include="pets.yaml" />
              </ItemGroup>
            """);
        app.WriteFile("pets.yaml", PetsSpec);
        app.WriteFile("Program.cs", GetPetProgram);
        await app.BuildAsync();
        await using PetsServer server = await PetsServer.StartAsync();

        string first = await app.RunAsync(("PETS_BASE_URL", server.BaseAddress.ToString()));

        Assert.Contains("got 7 Rex", first);

        app.WriteFile("pets.yaml", PetsSpec.Replace("paths:\n", "paths:\n" + CreatePetPath + "\n").Replace("  schemas:\n", "  schemas:\n" + NewPetSchema + "\n"));
        app.WriteFile("Program.cs", CreatePetProgram);
        await app.BuildAsync();

        string second = await app.RunAsync(("PETS_BASE_URL", server.BaseAddress.ToString()));

        Assert.Contains("got 7 Rex", second);
        Assert.Contains("created pet_2 Fido", second);
    }

    [Fact]
    public async Task One_property_switches_on_the_bundled_Threads_client()
    {
        using var app = new ConsumerApp(packages, "ThreadsApp", log);
        await app.CreateAsync();
        app.AddToProject("""
              <PropertyGroup>
                <SpecgenOpenAIThreads>true</SpecgenOpenAIThreads>
              </PropertyGroup>
            """);
        app.WriteFile("Program.cs", """
            using Specgen.Runtime;
            using ThreadsApp.OpenAI;

            var options = new ApiClientOptions { BaseAddress = new Uri(Environment.GetEnvironmentVariable("THREADS_BASE_URL")!), ApiKey = "sk-local" };
            options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
            var client = new ThreadsClient(options);

            ThreadObject thread = await client.CreateThreadAsync(new CreateThreadRequest
            {
                Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello!" }],
            });
            await client.CreateMessageAsync(thread.Id, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Still there?" });
            int count = 0;
            await foreach (MessageObject message in client.ListMessagesAutoPagingAsync(thread.Id, limit: 1))
            {
                count++;
            }

            DeleteThreadResponse deleted = await client.DeleteThreadAsync(thread.Id);
            Console.WriteLine($"thread {thread.Object} with {count} messages, deleted: {deleted.Deleted}");
            """);
        await app.BuildAsync();
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync();

        string output = await app.RunAsync(("THREADS_BASE_URL", server.BaseAddress.ToString()));

        Assert.Contains("thread thread with 2 messages, deleted: True", output);
    }

    [Fact]
    public async Task The_dependency_injection_package_from_the_feed_registers_the_generated_client_under_its_interface()
    {
        using var app = new ConsumerApp(packages, "ThreadsDiApp", log);
        await app.CreateAsync();
        await app.AddPackageAsync("Specgen.Runtime.DependencyInjection");
        app.AddToProject("""
              <PropertyGroup>
                <SpecgenOpenAIThreads>true</SpecgenOpenAIThreads>
              </PropertyGroup>
            """);
        app.WriteFile("Program.cs", """
            using Microsoft.Extensions.DependencyInjection;
            using Specgen.Runtime;
            using ThreadsDiApp.OpenAI;

            var services = new ServiceCollection();
            services.AddSpecgenClient<IThreadsClient, ThreadsClient>(
                options =>
                {
                    options.BaseAddress = new Uri(Environment.GetEnvironmentVariable("THREADS_BASE_URL")!);
                    options.ApiKey = "sk-local";
                    options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
                },
                (options, http) => new ThreadsClient(options, http));
            using ServiceProvider provider = services.BuildServiceProvider();

            IThreadsClient threads = provider.GetRequiredService<IThreadsClient>();
            ThreadObject thread = await threads.CreateThreadAsync();
            Console.WriteLine($"{threads.GetType().Name} made a {thread.Object}");
            """);
        await app.BuildAsync();
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync();

        string output = await app.RunAsync(("THREADS_BASE_URL", server.BaseAddress.ToString()));

        Assert.Contains("ThreadsClient made a thread", output);
    }
}

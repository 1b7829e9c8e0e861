using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>A model of the kind the generator emits: <c>{"id": string (required), "n": integer}</c>.</summary>
public sealed record Item(string Id, long N);

/// <summary>A cursor page: <c>{"data": [Item], "has_more": bool, "last_id": string?}</c>; <see cref="Data"/> is null when the member is absent.</summary>
public sealed record ItemPage(IList<Item>? Data, bool HasMore, string? LastId);

/// <summary>Hand-written readers in the shape the generator emits (<see cref="JsonValueReader{T}"/>).</summary>
public static class Readers
{
    public static Item ReadItem(ref Utf8JsonReader reader)
    {
        JsonSupport.Expect(ref reader, JsonTokenType.StartObject, nameof(Item));
        string? id = null;
        long n = 0;
        while (true)
        {
            JsonSupport.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string name = reader.GetString()!;
            JsonSupport.Next(ref reader);
            switch (name)
            {
                case "id":
                    id = JsonSupport.ReadString(ref reader);
                    break;
                case "n":
                    n = reader.GetInt64();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new Item(id ?? throw JsonSupport.MissingRequired(nameof(Item), "id"), n);
    }

    public static ItemPage ReadPage(ref Utf8JsonReader reader)
    {
        JsonSupport.Expect(ref reader, JsonTokenType.StartObject, nameof(ItemPage));
        List<Item>? data = null;
        bool hasMore = false;
        string? lastId = null;
        while (true)
        {
            JsonSupport.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string name = reader.GetString()!;
            JsonSupport.Next(ref reader);
            switch (name)
            {
                case "data":
                    JsonSupport.Expect(ref reader, JsonTokenType.StartArray, nameof(ItemPage));
                    data = new List<Item>();
                    while (true)
                    {
                        JsonSupport.Next(ref reader);
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            break;
                        }

                        data.Add(ReadItem(ref reader));
                    }

                    break;
                case "has_more":
                    hasMore = reader.GetBoolean();
                    break;
                case "last_id":
                    lastId = reader.TokenType == JsonTokenType.Null ? null : JsonSupport.ReadString(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new ItemPage(data, hasMore, lastId);
    }

    public static void WriteItem(Utf8JsonWriter writer, Item item)
    {
        writer.WriteStartObject();
        writer.WriteString("id", item.Id);
        writer.WriteNumber("n", item.N);
        writer.WriteEndObject();
    }
}

/// <summary>A pipeline pointed at a <see cref="LoopbackServer"/>, with its own <see cref="HttpClient"/>.</summary>
public sealed class TestClient : IDisposable
{
    public TestClient(LoopbackServer server, Action<ApiClientOptions>? configure = null)
    {
        Options = new ApiClientOptions { BaseAddress = new Uri(server.BaseAddress, "v1") };
        configure?.Invoke(Options);
        HttpClient = new HttpClient();
        Pipeline = new ApiPipeline(Options, new Uri("https://spec-default.invalid/"), HttpClient);
    }

    public ApiClientOptions Options { get; }

    public HttpClient HttpClient { get; }

    public ApiPipeline Pipeline { get; }

    public Task<ApiResponse<Item>> GetItemAsync(ApiRequest request, RequestOptions? options = null) =>
        Pipeline.SendAsync(request, Readers.ReadItem, options, default);

    public void Dispose() => HttpClient.Dispose();
}

/// <summary>Small handler building blocks.</summary>
public static class Respond
{
    public const string ItemJson = """{"id":"item_1","n":42}""";

    public static Func<HttpContext, Task> Json(string json, int status = 200, string? requestId = null) => context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (requestId is not null)
        {
            context.Response.Headers["x-request-id"] = requestId;
        }

        return context.Response.WriteAsync(json, Encoding.UTF8);
    };

    public static Func<HttpContext, Task> Item() => Json(ItemJson);
}

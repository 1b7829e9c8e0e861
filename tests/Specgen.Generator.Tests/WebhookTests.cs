using System.Linq;

namespace Specgen.Generator.Tests;

/// <summary>Documents that describe webhooks (requests the API sends): their payloads are types, with no method.</summary>
public sealed class WebhookTests
{
    [Fact]
    public void A_webhook_only_document_generates_its_models_and_the_payloads_its_webhooks_carry()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec("""
            openapi: 3.1.0
            info: { title: Hooks, version: 1.0.0 }
            webhooks:
              newPet:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: { $ref: '#/components/schemas/Pet' }
                  responses:
                    '200': { description: ok }
              pet.deleted:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [id]
                          properties:
                            id: { type: integer }
                            reason: { type: string, enum: [sold, lost] }
                  responses:
                    '200': { description: ok }
            components:
              schemas:
                Pet:
                  type: object
                  required: [id, name]
                  properties:
                    id: { type: integer, format: int64 }
                    name: { type: string }
            """);

        object pet = generated.Read("Pet", """{"id":1,"name":"Rex"}""");
        object deleted = generated.Read("PetDeletedPayload", """{"id":7,"reason":"sold"}""");

        Assert.Equal("Rex", GeneratedAssembly.Get(pet, "Name"));
        Assert.Equal("sold", GeneratedAssembly.Get(GeneratedAssembly.Get(deleted, "Reason")!, "Value"));
        Assert.DoesNotContain(generated.Type("TestClient").GetMethods(), m => m.Name.EndsWith("Async"));
    }
}

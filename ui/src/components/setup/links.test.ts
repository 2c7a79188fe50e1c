import { describe, expect, it } from "vitest";
import { apiName, entityIdRule, isGenericLogin, setupBase, setupLink } from "./links";

describe("Salesforce Setup deep links", () => {
  it("start from the login URL's origin for a real org", () => {
    const base = setupBase({ environment: "production", login_url: "https://acme.my.salesforce.com/" }, "http://127.0.0.1:8765");
    expect(base).toBe("https://acme.my.salesforce.com");
    expect(setupLink(base, "myDomain")).toBe("https://acme.my.salesforce.com/lightning/setup/OrgDomain/home");
    expect(isGenericLogin(base)).toBe(false);
  });
  it("start from the practice org's address for a practice application", () => {
    const base = setupBase({ environment: "practice", login_url: "http://127.0.0.1:8765" }, "http://127.0.0.1:9999/");
    expect(setupLink(base, "loginHistory")).toBe("http://127.0.0.1:9999/lightning/setup/OrgLoginHistory/home");
  });
  it("know Salesforce's generic login hosts", () => {
    expect(isGenericLogin("https://test.salesforce.com")).toBe(true);
  });
});

describe("values to type in Salesforce", () => {
  it("make an API Name Salesforce accepts", () => {
    expect(apiName("acme-prod")).toBe("Lanyard_acme_prod");
    expect(apiName("--")).toBe("Lanyard");
  });
  it("pick the entity ID by the custom domain rule", () => {
    expect(entityIdRule("https://login.salesforce.com", null).value).toBe("https://saml.salesforce.com");
    expect(entityIdRule("https://acme.my.salesforce.com", null).value).toBe("https://acme.my.salesforce.com");
    expect(entityIdRule("https://login.salesforce.com", "https://x.my.salesforce.com").value).toBe("https://x.my.salesforce.com");
  });
});

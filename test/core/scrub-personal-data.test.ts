/** Issue 10 item 7: an AWS message that echoes a user's username or other identifying values is scrubbed. */
import { scrubUser } from "../../core/scrub-personal-data";

const user = {
  username: "Ann.Example@example.nhs.uk",
  attributes: { email: "ann.example@example.nhs.uk", phone_number: "+447700900123", given_name: "Ann", family_name: "Example" },
};

test("username (any case), email, phone and names become <user>; other text stays", () => {
  expect(scrubUser("UsernameExistsException: User account already exists for ann.example@example.nhs.uk (+447700900123)", user)).toBe(
    "UsernameExistsException: User account already exists for <user> (<user>)",
  );
  expect(scrubUser("family name Example, given Ann", user)).toBe("family name <user>, given <user>");
  expect(scrubUser("Rate exceeded", user)).toBe("Rate exceeded");
});

test("exact matches of known values only: a name that is a common word never garbles a message or an id", () => {
  const the = {
    username: "the.trainee@example.nhs.uk",
    attributes: { email: "the.trainee@example.nhs.uk", given_name: "The", family_name: "Other" },
  };
  const message = "The import job import-TheOtherAbc failed: there is no other user; see the log. The job ended.";
  expect(scrubUser(message, the)).toBe(message);
  expect(scrubUser("User the.trainee@example.nhs.uk (The Other) is invalid", the)).toBe("User <user> (<user>) is invalid");
  expect(scrubUser("given_name The is invalid", the)).toBe("given_name <user> is invalid");
  // A username inside a longer address or id is not that user.
  expect(scrubUser("xthe.trainee@example.nhs.uk and the.trainee@example.nhs.uk.", the)).toBe("xthe.trainee@example.nhs.uk and <user>.");
});

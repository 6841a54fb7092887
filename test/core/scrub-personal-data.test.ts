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

// /unsubscribe.html?t=<token>: the link at the end of every reminder. The
// person confirms with a button (a GET changes nothing: mail scanners open
// links); NotificationService/UnsubscribeFromReminders checks the token.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { NotificationService } from "../gen/clinic/notifications/v1/notifications_service_pb";

// The call sends only the origin as Referer: the page's own no-referrer
// policy could make a browser send "Origin: null", which the gateway refuses
// as cross-site (as in manage.ts).
const transport = createConnectTransport({
  baseUrl: window.location.origin,
  fetch: (input, init) => globalThis.fetch(input, { ...init, referrerPolicy: "strict-origin" }),
});
const notifications = createClient(NotificationService, transport);

const form = document.getElementById("un-form") as HTMLFormElement;
const submit = document.getElementById("un-submit") as HTMLButtonElement;
const result = document.getElementById("un-result") as HTMLParagraphElement;
(document.getElementById("un-nojs") as HTMLElement).hidden = true;

const token = new URLSearchParams(window.location.search).get("t") ?? "";
if (token === "") {
  result.textContent = "This link does not work (any more).";
} else {
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    try {
      const answer = await notifications.unsubscribeFromReminders({ token });
      form.hidden = true;
      result.textContent = answer.message;
    } catch (err) {
      const e = ConnectError.from(err);
      result.textContent =
        e.code === Code.NotFound
          ? "This link does not work (any more)."
          : e.code === Code.ResourceExhausted
            ? "Too many attempts from here; please try again in a minute."
            : "We could not do that just now. Please try again, or call the front desk.";
      submit.disabled = false;
    } finally {
      submit.removeAttribute("aria-busy");
    }
  });
}

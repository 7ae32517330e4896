// Sealed bids (docs/sealed-bids.md): the price, note and documents are read from inputs that have NO name
// attribute, so the browser never submits them. This script builds the plaintext JSON, its SHA-256
// commitment, encrypts it with AES-256-GCM under a fresh random key and IV, wraps that key with RSA-OAEP
// (SHA-256) to the tender's public key, and submits only the sealed values. WebCrypto only, no library.
// procurement.sealing.client_seal does the same in Python.
(function () {
  "use strict";

  var form = document.getElementById("bid-form");
  var receipt = document.getElementById("bid-receipt");

  function b64(bytes) {
    var out = "";
    var chunk = 0x8000;
    for (var i = 0; i < bytes.length; i += chunk) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    }
    return window.btoa(out);
  }

  function unb64(text) {
    var raw = window.atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function randomHex(n) {
    return hex(window.crypto.getRandomValues(new Uint8Array(n)));
  }

  function importPublicKey(pem) {
    var body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    return window.crypto.subtle.importKey("spki", unb64(body), { name: "RSA-OAEP", hash: "SHA-256" }, false, [
      "encrypt",
    ]);
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        resolve({ name: file.name, content_b64: b64(new Uint8Array(reader.result)) });
      };
      reader.onerror = function () {
        reject(reader.error);
      };
      reader.readAsArrayBuffer(file);
    });
  }

  // The plaintext, in the key order procurement.sealing.build_plaintext uses.
  function plaintext(price, note, documents) {
    var body = { price: price, nonce: randomHex(16), note: note, documents: documents };
    return new TextEncoder().encode(JSON.stringify(body));
  }

  function seal(publicKeyPem, bytes) {
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    var result = {};
    return window.crypto.subtle
      .digest("SHA-256", bytes)
      .then(function (digest) {
        result.commitment = hex(digest);
        return window.crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
      })
      .then(function (aesKey) {
        result.aesKey = aesKey;
        return window.crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, aesKey, bytes);
      })
      .then(function (ciphertext) {
        result.ciphertext = new Uint8Array(ciphertext);
        return window.crypto.subtle.exportKey("raw", result.aesKey);
      })
      .then(function (rawKey) {
        return importPublicKey(publicKeyPem).then(function (rsaKey) {
          return window.crypto.subtle.encrypt({ name: "RSA-OAEP" }, rsaKey, rawKey);
        });
      })
      .then(function (wrapped) {
        return {
          ciphertext: result.ciphertext,
          wrapped_key: b64(new Uint8Array(wrapped)),
          iv: b64(iv),
          commitment: result.commitment,
        };
      });
  }

  function showError(message) {
    var box = document.getElementById("bid-error");
    box.textContent = message;
    box.hidden = false;
  }

  function onSubmit(event) {
    event.preventDefault();
    var data = form.dataset;
    document.getElementById("bid-error").hidden = true;
    if (!window.crypto || !window.crypto.subtle) {
      showError(data.msgNoCrypto);
      return;
    }
    var price = document.getElementById("bid-price").value.replace(/[,\s]/g, "");
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(price) || Number(price) <= 0) {
      showError(data.msgPrice);
      return;
    }
    price = Number(price).toFixed(2);
    var note = document.getElementById("bid-note").value;
    var files = Array.prototype.slice.call(document.getElementById("bid-files").files || []);
    var total = files.reduce(function (sum, f) {
      return sum + f.size;
    }, 0);
    var max = Number(data.maxBytes);
    // base64 grows documents by 4/3: refuse early, before reading anything.
    if ((total * 4) / 3 > max) {
      showError(data.msgTooLarge);
      return;
    }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var status = document.getElementById("bid-status");
    status.textContent = data.msgSealing;
    var publicKeyPem = JSON.parse(document.getElementById("tender-public-key").textContent);
    Promise.all(files.map(readFile))
      .then(function (documents) {
        var bytes = plaintext(price, note, documents);
        if (bytes.length > max) {
          throw new Error(data.msgTooLarge);
        }
        return seal(publicKeyPem, bytes);
      })
      .then(function (sealed) {
        form.querySelector("input[name=wrapped_key]").value = sealed.wrapped_key;
        form.querySelector("input[name=iv]").value = sealed.iv;
        form.querySelector("input[name=commitment]").value = sealed.commitment;
        var transfer = new DataTransfer();
        transfer.items.add(new File([sealed.ciphertext], "sealed-bid.bin", { type: "application/octet-stream" }));
        form.querySelector("input[name=ciphertext]").files = transfer.files;
        document.getElementById("bid-commitment").textContent = sealed.commitment;
        try {
          window.sessionStorage.setItem("sealed-bid-commitment", sealed.commitment);
        } catch (ignored) {
          // Private browsing without storage: the receipt page simply cannot compare.
        }
        status.textContent = data.msgSending;
        form.submit();
      })
      .catch(function (error) {
        button.disabled = false;
        status.textContent = "";
        showError(error && error.message ? error.message : data.msgFailed);
      });
  }

  if (form) {
    form.addEventListener("submit", onSubmit);
  }

  // The receipt page: compare the commitment the server stored with the one this browser computed.
  if (receipt) {
    var mine = null;
    try {
      mine = window.sessionStorage.getItem("sealed-bid-commitment");
    } catch (ignored) {
      mine = null;
    }
    var check = document.getElementById("receipt-check");
    if (mine && check) {
      var same = mine === receipt.dataset.commitment;
      check.textContent = same ? receipt.dataset.msgSame : receipt.dataset.msgDifferent;
      check.className = same ? "badge text-bg-success" : "badge text-bg-danger";
      check.hidden = false;
      window.sessionStorage.removeItem("sealed-bid-commitment");
    }
  }
})();
